package dev.gearfarm.images.source;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of folders that file references must stay inside, shared by the file source and the file sink.
 *
 * <p>Public only so {@code sink} can use it; not part of the worker's API.
 */
public final class Roots {
    private final List<Path> roots;
    private final List<Path> given;
    private final String flag;

    private Roots(List<Path> roots, List<Path> given, String flag) {
        this.roots = roots;
        this.given = given;
        this.flag = flag;
    }

    /**
     * Roots by their real paths (symbolic links resolved), so checks after resolving compare real with
     * real; the paths as given are kept too, so a reference may be written through a linked root.
     *
     * @param flag the command-line flag that sets them, named in errors
     * @throws IllegalArgumentException naming a root that is not an existing folder
     */
    public static Roots of(List<Path> roots, String flag) {
        List<Path> real = new ArrayList<>();
        List<Path> given = new ArrayList<>();
        for (Path root : roots) {
            try {
                Path path = root.toAbsolutePath().toRealPath();
                if (!Files.isDirectory(path)) {
                    throw new IllegalArgumentException(flag + " " + root + " is not a folder");
                }
                real.add(path);
                given.add(root.toAbsolutePath().normalize());
            } catch (IOException e) {
                throw new IllegalArgumentException(flag + " " + root + " does not exist or cannot be read (" + e
                        + "); create it or fix the path", e);
            }
        }
        return new Roots(List.copyOf(real), List.copyOf(given), flag);
    }

    /** The roots' real paths. */
    public List<Path> paths() {
        return roots;
    }

    /** Whether the reference has a file form: an absolute path or a {@code file:} URI. */
    public static boolean isFileReference(String reference) {
        return reference != null && (reference.startsWith("/") || reference.regionMatches(true, 0, "file:", 0, 5));
    }

    /**
     * The reference as an absolute, normalised path ({@code ..} removed) that lies under a root; links
     * are not resolved yet, the caller checks the real path once it exists.
     *
     * @param what "source" or "destination", for messages
     * @throws ImageJobException BAD_SPEC for malformed references, FORBIDDEN outside the roots
     */
    public Path lexical(String reference, String what) {
        if (roots.isEmpty()) {
            throw new ImageJobException(Reason.FORBIDDEN, "file " + what + " " + reference
                    + " refused: no folders are allowed; start the worker with " + flag + " DIR");
        }
        Path path;
        try {
            path = reference.regionMatches(true, 0, "file:", 0, 5) ? Path.of(URI.create(reference)) : Path.of(reference);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new ImageJobException(Reason.BAD_SPEC, "file " + what + " \"" + reference + "\" is not a valid path"
                    + " (" + e.getMessage() + "); use /absolute/path or file:///absolute/path", e);
        }
        if (!path.isAbsolute()) {
            throw new ImageJobException(Reason.BAD_SPEC, "file " + what + " \"" + reference
                    + "\" is not absolute; use /absolute/path or file:///absolute/path");
        }
        Path normal = path.normalize();
        if (!isUnder(normal) && !startsWithAny(normal, given)) {
            throw outside(reference, what, normal);
        }
        return normal;
    }

    /** Whether the real path is a root or inside one. */
    public boolean isUnder(Path realPath) {
        return startsWithAny(realPath, roots);
    }

    /** Whether the path names a root itself, in its given or real form. */
    public boolean isRoot(Path path) {
        return roots.contains(path) || given.contains(path);
    }

    private static boolean startsWithAny(Path path, List<Path> folders) {
        for (Path folder : folders) {
            if (path.startsWith(folder)) {
                return true;
            }
        }
        return false;
    }

    /** FORBIDDEN: the path is outside every root. */
    public ImageJobException outside(String reference, String what, Path path) {
        String shown = path.toString().equals(reference) ? "" : " (" + path + ")";
        return new ImageJobException(Reason.FORBIDDEN, "file " + what + " " + reference + shown
                + " is outside the allowed folders " + roots + "; add its folder with " + flag);
    }
}
