package dev.gearfarm.images.source;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.s3.S3Location;
import java.util.List;

/**
 * Routes a reference to the first configured source that handles its form, and explains a reference
 * no source takes: which forms exist, and which flag turns on the one that was asked for.
 */
public final class Sources implements ImageSource {
    private static final String FORMS =
            "http(s)://host/path, s3://bucket/key, /absolute/path or file:///absolute/path, or \"inline\"";

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
        throw new ImageJobException(Reason.BAD_SPEC, "no source can read \"" + reference + "\": " + why(reference)
                + "; sources are " + FORMS);
    }

    private String why(String reference) {
        if (S3Location.isS3(reference)) {
            return "s3:// sources need --s3-endpoint or AWS credentials";
        }
        if (reference != null && reference.matches("(?i)https?://.*")) {
            return "http(s) sources are not enabled on this worker";
        }
        if (Roots.isFileReference(reference)) {
            return "file sources need " + FileSource.ROOTS_FLAG + " DIR";
        }
        if (reference != null && !reference.contains(":")) {
            return "a relative path is not accepted, give an absolute one under " + FileSource.ROOTS_FLAG;
        }
        return "its form is not one this worker reads";
    }
}
