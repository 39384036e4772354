package dev.gearfarm.images.sink;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.nio.file.Path;
import java.util.List;

/** Writes outputs to files under the allowed output roots, atomically (temp file, then rename). */
public final class FileSink implements ImageSink {
    private final List<Path> roots;

    public FileSink(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    @Override
    public boolean handles(String destination) {
        return destination != null && (destination.startsWith("/") || destination.regionMatches(true, 0, "file:", 0, 5));
    }

    @Override
    public String store(String destination, byte[] bytes, String mediaType) {
        throw new ImageJobException(Reason.INTERNAL, "file sinks are not implemented yet: " + destination
                + " (roots " + roots + ")");
    }
}
