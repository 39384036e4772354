package dev.gearfarm.thumbnail;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.spec.Fit;
import dev.gearfarm.images.spec.Format;
import dev.gearfarm.images.spec.OutputSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What each input becomes: sizes, fit mode, format and quality. */
final class OutputOptions {
    @Option(names = "--size", paramLabel = "SIZE", split = ",", defaultValue = "${env:THUMBNAIL_SIZE:-256}",
            description = {"Box to fit: 256 (square), 300x200, 300x (width only), x200 (height only); repeat for "
                    + "several outputs per image (env THUMBNAIL_SIZE, default ${DEFAULT-VALUE})."})
    List<String> sizes = new ArrayList<>();

    @Option(names = "--fit", description = "Whole image inside the box, aspect kept (the default).")
    boolean fit;

    @Option(names = "--fill", description = "Cover the box exactly, aspect kept, overflow cropped at the centre.")
    boolean fill;

    @Option(names = "--exact", description = "Stretch to the box exactly (aspect not kept).")
    boolean exact;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "${env:THUMBNAIL_FORMAT:-jpeg}",
            description = "jpeg, png or webp (env THUMBNAIL_FORMAT, default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--quality", paramLabel = "1-100", defaultValue = "${env:THUMBNAIL_QUALITY:-85}",
            description = "JPEG/WebP quality (env THUMBNAIL_QUALITY, default ${DEFAULT-VALUE}).")
    int quality;

    /** The env THUMBNAIL_FIT (fit, fill, exact) applies when no mode flag is given. */
    Fit mode() {
        int flags = (fit ? 1 : 0) + (fill ? 1 : 0) + (exact ? 1 : 0);
        if (flags > 1) {
            throw CliException.usage("give at most one of --fit, --fill and --exact");
        }
        if (fill) {
            return Fit.FILL;
        }
        if (exact) {
            return Fit.EXACT;
        }
        if (fit) {
            return Fit.FIT;
        }
        String env = System.getenv("THUMBNAIL_FIT");
        try {
            return env == null || env.isBlank() ? Fit.FIT : Fit.of(env);
        } catch (ImageJobException e) {
            throw CliException.usage("THUMBNAIL_FIT: " + e.getMessage());
        }
    }

    /** One output template per size, its destination the output root. */
    List<OutputSpec> templates(String destination) {
        Format parsed;
        try {
            parsed = Format.of(format);
        } catch (ImageJobException e) {
            throw CliException.usage("--format: " + e.getMessage());
        }
        if (quality < 1 || quality > 100) {
            throw CliException.usage("--quality must be 1..100, got " + quality);
        }
        return Sizes.outputs(sizes, mode(), parsed, quality, destination);
    }
}
