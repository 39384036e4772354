package dev.gearfarm.images.sink;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.source.Roots;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes outputs to files under the allowed output roots, completely or not at all: the bytes go to a
 * hidden temporary file in the destination's folder, are flushed to disk ({@code fsync}, so a crash
 * right after the rename cannot leave an empty file behind), and the temporary file is renamed over the
 * destination in one atomic step. Readers see the old file or the new one, never part of one. The
 * folder itself is not synced: after a power cut the rename may be lost, which only redoes a job.
 */
public final class FileSink implements ImageSink {
    /** The flag that sets the output roots, named in refusals. */
    public static final String ROOTS_FLAG = "--output-root";

    private final Roots roots;

    /** @throws IllegalArgumentException when a root is not an existing folder */
    public FileSink(List<Path> roots) {
        this.roots = Roots.of(roots, ROOTS_FLAG);
    }

    @Override
    public boolean handles(String destination) {
        return Roots.isFileReference(destination);
    }

    @Override
    public String store(String destination, byte[] bytes, String mediaType) {
        Path target = roots.lexical(destination, "destination");
        if (target.getFileName() == null || roots.isRoot(target)) {
            throw new ImageJobException(Reason.BAD_SPEC, "file destination " + destination
                    + " is a folder; name a file, e.g. " + target.resolve("thumb.jpg"));
        }
        Path folder = target.getParent();
        Path temp = null;
        try {
            Files.createDirectories(folder);
            // Links inside the root could point the folder elsewhere: check where it really is.
            Path realFolder = folder.toRealPath();
            if (!roots.isUnder(realFolder)) {
                throw roots.outside(destination, "destination", realFolder.resolve(target.getFileName()));
            }
            Path realTarget = realFolder.resolve(target.getFileName());
            if (Files.isDirectory(realTarget)) {
                throw new ImageJobException(Reason.STORE_FAILED, "cannot store " + destination
                        + ": a folder of that name exists there; choose another file name");
            }
            temp = Files.createTempFile(realFolder, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, realTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            return realTarget.toString();
        } catch (AccessDeniedException e) {
            throw new ImageJobException(Reason.STORE_FAILED, "cannot store " + destination
                    + ": permission denied on " + e.getFile() + " for the worker's user", e);
        } catch (FileSystemException e) {
            String why = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
            throw new ImageJobException(Reason.STORE_FAILED, "cannot store " + destination + ": " + why
                    + (e.getFile() == null ? "" : " (" + e.getFile() + ")"), e);
        } catch (IOException e) {
            // "No space left on device" arrives here as a plain IOException from write().
            throw new ImageJobException(Reason.STORE_FAILED, "cannot store " + destination + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // The job already fails with the first error; a leftover hidden .tmp is harmless.
                }
            }
        }
    }
}
