package dev.gearfarm.images.sink;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.s3.S3Location;
import dev.gearfarm.images.source.Roots;
import java.util.List;

/**
 * Routes a destination to the first configured sink that handles its form, and explains a destination
 * no sink takes: which forms exist, and which flag turns on the one that was asked for.
 */
public final class Sinks implements ImageSink {
    private static final String FORMS =
            "s3://bucket/key, /absolute/path or file:///absolute/path, or \"inline\" (bytes in the result)";

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
        throw new ImageJobException(Reason.BAD_SPEC, "no sink can store to \"" + destination + "\": "
                + why(destination) + "; destinations are " + FORMS);
    }

    private static String why(String destination) {
        if (S3Location.isS3(destination)) {
            return "s3:// destinations need --s3-endpoint or AWS credentials";
        }
        if (Roots.isFileReference(destination)) {
            return "file destinations need " + FileSink.ROOTS_FLAG + " DIR";
        }
        if (destination != null && !destination.contains(":")) {
            return "a relative path is not accepted, give an absolute one under " + FileSink.ROOTS_FLAG;
        }
        return "its form is not one this worker writes";
    }
}
