package dev.gearfarm.images.source;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.util.List;

/** Routes a reference to the first configured source that handles its form. */
public final class Sources implements ImageSource {
    private final List<ImageSource> sources;

    public Sources(List<ImageSource> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public boolean handles(String reference) {
        return sources.stream().anyMatch(s -> s.handles(reference));
    }

    @Override
    public byte[] fetch(String reference) {
        for (ImageSource source : sources) {
            if (source.handles(reference)) {
                return source.fetch(reference);
            }
        }
        throw new ImageJobException(Reason.BAD_SPEC, "no source handles \"" + reference + "\"");
    }
}
