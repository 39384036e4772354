package dev.gearfarm.images.sink;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.util.List;

/** Routes a destination to the first configured sink that handles its form. */
public final class Sinks implements ImageSink {
    private final List<ImageSink> sinks;

    public Sinks(List<ImageSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public boolean handles(String destination) {
        return sinks.stream().anyMatch(s -> s.handles(destination));
    }

    @Override
    public String store(String destination, byte[] bytes, String mediaType) {
        for (ImageSink sink : sinks) {
            if (sink.handles(destination)) {
                return sink.store(destination, bytes, mediaType);
            }
        }
        throw new ImageJobException(Reason.BAD_SPEC, "no sink handles \"" + destination + "\"");
    }
}
