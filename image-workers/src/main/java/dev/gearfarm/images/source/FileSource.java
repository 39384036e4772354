package dev.gearfarm.images.source;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Reads absolute paths or {@code file:///} URIs that lie under one of the allowed roots.
 *
 * <p>A path is checked twice: as written ({@code ..} removed) before anything touches the disk, so
 * files outside the roots cannot even be probed for existence, and again after symbolic links are
 * resolved, so a link inside a root cannot lead out of it. The real path is then opened without
 * following a final link. Left open: someone who can write inside a root could swap a folder for a
 * link between the check and the open; the roots are trusted folders.
 */
public final class FileSource implements ImageSource {
    /** The flag that sets the roots, named in refusals. */
    public static final String ROOTS_FLAG = "--allow-root";

    private final Roots roots;
    private final long maxBytes;

    /**
     * @throws IllegalArgumentException when a root is not an existing folder or maxBytes is not positive
     */
    public FileSource(List<Path> roots, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("max bytes must be positive, got " + maxBytes
                    + "; set --max-download-bytes");
        }
        this.roots = Roots.of(roots, ROOTS_FLAG);
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handles(String reference) {
        return Roots.isFileReference(reference);
    }

    @Override
    public byte[] fetch(String reference) {
        Path lexical = roots.lexical(reference, "source");
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImageJobException(Reason.NOT_FOUND, "file " + reference + " does not exist", e);
        } catch (IOException e) {
            throw new ImageJobException(Reason.NOT_FOUND, "file " + reference + " cannot be resolved (" + e + ")", e);
        }
        if (!roots.isUnder(real)) {
            throw roots.outside(reference, "source", real);
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new ImageJobException(Reason.BAD_SPEC, "file source " + reference
                        + " is a folder; name an image file inside it");
            }
            if (!attributes.isRegularFile()) {
                throw new ImageJobException(Reason.BAD_SPEC, "file source " + reference
                        + " is not a regular file (a device, pipe or socket); name an image file");
            }
            if (attributes.size() > maxBytes) {
                throw tooLarge(reference, attributes.size() + " bytes");
            }
            try (InputStream in = Channels.newInputStream(
                    Files.newByteChannel(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                // Capped again while reading: the file may grow after its size was read.
                int cap = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
                byte[] bytes = in.readNBytes(cap);
                if (bytes.length == cap && in.read() != -1) {
                    throw tooLarge(reference, "more than " + maxBytes + " bytes");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new ImageJobException(Reason.NOT_FOUND, "file " + reference + " disappeared while being read", e);
        } catch (AccessDeniedException e) {
            throw new ImageJobException(Reason.FORBIDDEN, "file " + reference
                    + " cannot be read: permission denied for the worker's user", e);
        } catch (IOException e) {
            throw new ImageJobException(Reason.NOT_FOUND, "file " + reference + " cannot be read (" + e + ")", e);
        }
    }

    private ImageJobException tooLarge(String reference, String size) {
        return new ImageJobException(Reason.TOO_LARGE, "file " + reference + " is " + size + ", over the "
                + maxBytes + "-byte limit; raise --max-download-bytes");
    }
}
