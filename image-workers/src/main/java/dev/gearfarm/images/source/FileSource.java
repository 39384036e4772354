package dev.gearfarm.images.source;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.nio.file.Path;
import java.util.List;

/** Reads absolute paths or {@code file:///} URIs that lie under one of the allowed roots. */
public final class FileSource implements ImageSource {
    private final List<Path> roots;
    private final long maxBytes;

    public FileSource(List<Path> roots, long maxBytes) {
        this.roots = List.copyOf(roots);
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handles(String reference) {
        return reference != null && (reference.startsWith("/") || reference.regionMatches(true, 0, "file:", 0, 5));
    }

    @Override
    public byte[] fetch(String reference) {
        throw new ImageJobException(Reason.INTERNAL, "file sources are not implemented yet: " + reference
                + " (roots " + roots + ", max " + maxBytes + " bytes)");
    }
}
