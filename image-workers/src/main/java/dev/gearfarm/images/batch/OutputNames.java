package dev.gearfarm.images.batch;

import dev.gearfarm.images.spec.Fit;
import dev.gearfarm.images.spec.OutputSpec;

/**
 * The stable names batch outputs get: the input's path relative to the batch root, its extension
 * replaced by the box, the fit mode when it is not {@code fit}, and the output format's extension.
 *
 * <pre>
 * photos/2024/cat.jpg, 256x256 fit,  jpeg -> photos/2024/cat.256.jpg
 * photos/2024/cat.jpg, 256x256 fill, png  -> photos/2024/cat.256.fill.png
 * photos/2024/cat.jpg, 300x200 exact      -> photos/2024/cat.300x200.exact.jpg
 * photos/2024/cat.jpg, width 300 only     -> photos/2024/cat.w300.jpg
 * </pre>
 *
 * Names depend only on the input path and the output settings, so a rerun finds what an earlier run
 * wrote; that is what makes batches resumable.
 */
public final class OutputNames {
    private OutputNames() {}

    /** The output's path relative to the output root, with {@code /} separators. */
    public static String relativeName(String inputRelative, OutputSpec output) {
        String path = inputRelative.replace('\\', '/');
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        // A dot in a folder name or a leading dot (".profile") is not an extension.
        String stem = dot > slash + 1 ? path.substring(0, dot) : path;
        StringBuilder name = new StringBuilder(stem).append('.').append(box(output));
        if (output.fit() != Fit.FIT) {
            name.append('.').append(output.fit().jsonName());
        }
        return name.append('.').append(output.format().extension()).toString();
    }

    /** The box part of a name: {@code 256} for a square, {@code 300x200}, {@code w300} or {@code h200}. */
    static String box(OutputSpec output) {
        Integer w = output.width();
        Integer h = output.height();
        if (w != null && h != null) {
            return w.equals(h) ? w.toString() : w + "x" + h;
        }
        return w != null ? "w" + w : "h" + h;
    }

    /** {@code root} joined with {@code relative}: a file path, or {@code s3://bucket/prefix/relative}. */
    public static String resolve(String root, String relative) {
        if (root.endsWith("/")) {
            return root + relative;
        }
        return root + "/" + relative;
    }
}
