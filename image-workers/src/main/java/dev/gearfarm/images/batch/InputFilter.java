package dev.gearfarm.images.batch;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which files of a folder or prefix a batch takes: by default those whose extension looks like an
 * image; with a glob, those the glob matches instead. A glob without {@code /} is matched against the
 * file name ({@code *.jpg}), one with {@code /} against the path relative to the root
 * ({@code 2024/**}{@code /*.png}). Names starting with a dot (hidden files, reports, temporary files) are
 * never taken.
 */
public final class InputFilter {
    /** Extensions taken when no glob is given. */
    public static final Set<String> IMAGE_EXTENSIONS =
            Set.of("jpg", "jpeg", "jpe", "png", "gif", "bmp", "webp", "tif", "tiff");

    private final String glob;
    private final PathMatcher matcher;
    private final boolean onName;

    private InputFilter(String glob) {
        this.glob = glob;
        this.matcher = glob == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + glob);
        this.onName = glob != null && !glob.contains("/");
    }

    /** Image-looking files by extension. */
    public static InputFilter images() {
        return new InputFilter(null);
    }

    /** Files matching {@code glob}; null or blank means {@link #images()}. */
    public static InputFilter of(String glob) {
        if (glob == null || glob.isBlank()) {
            return images();
        }
        try {
            return new InputFilter(glob.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--include \"" + glob + "\" is not a valid glob: " + e.getMessage()
                    + "; use e.g. \"*.jpg\" or \"2024/**/*.png\"", e);
        }
    }

    /** Whether the file at {@code relative} (a {@code /}-separated path under the root) is taken. */
    public boolean accepts(String relative) {
        List<String> parts = List.of(relative.split("/"));
        for (String part : parts) {
            if (part.startsWith(".")) {
                return false;
            }
        }
        String name = parts.get(parts.size() - 1);
        if (matcher == null) {
            int dot = name.lastIndexOf('.');
            return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        }
        return matcher.matches(Path.of(onName ? name : relative));
    }

    /** The glob, or null for the default. */
    public String glob() {
        return glob;
    }
}
