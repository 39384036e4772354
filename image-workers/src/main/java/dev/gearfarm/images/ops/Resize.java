package dev.gearfarm.images.ops;

import dev.gearfarm.images.spec.Fit;
import dev.gearfarm.images.spec.Gravity;
import dev.gearfarm.images.spec.OutputSpec;
import java.awt.image.BufferedImage;
import org.imgscalr.Scalr;

/**
 * Output sizes for fit, fill and exact, computed here because imgscalr's {@code Mode.AUTOMATIC} fits
 * only one side of a box, and the scaling itself.
 *
 * <p>Scaling uses imgscalr's {@code QUALITY} method (bicubic, halving steps) to an exact size: the side
 * by side comparison with vipsthumbnail in the module README chose it over {@code BALANCED} (one
 * bilinear step, which aliases on big reductions) and {@code ULTRA_QUALITY} (7x slower, not closer).
 */
public final class Resize {
    /** The imgscalr method every resize uses; see the class comment for why. */
    public static final Scalr.Method METHOD = Scalr.Method.QUALITY;

    private Resize() {}

    /** A rectangle of the source: what a fill keeps before it is scaled to the box. */
    public record Region(int x, int y, int width, int height) {}

    /** What one output needs from a source: the part of it to keep, and the size it becomes. */
    public record Plan(Region region, int width, int height) {
        /** How much the kept region shrinks (below 1) or grows; the larger of the two axes. */
        public double scale() {
            return Math.max((double) width / region.width(), (double) height / region.height());
        }
    }

    /** How an image of {@code width x height} becomes {@code output}'s box. */
    public static Plan plan(OutputSpec output, int width, int height) {
        Region whole = new Region(0, 0, width, height);
        Integer boxW = output.width();
        Integer boxH = output.height();
        if (output.fit() == Fit.EXACT) {
            return new Plan(whole, boxW, boxH);
        }
        if (output.fit() == Fit.FIT) {
            double scale = Math.min(boxW == null ? Double.MAX_VALUE : (double) boxW / width,
                    boxH == null ? Double.MAX_VALUE : (double) boxH / height);
            if (!output.upscale()) {
                scale = Math.min(scale, 1.0);
            }
            return new Plan(whole, side(width, scale, boxW), side(height, scale, boxH));
        }
        // FILL: cover the box, then cut the overflow at the gravity. Without upscale a small source is
        // not blown up: the output is the box clipped to what the source has.
        double scale = Math.max((double) boxW / width, (double) boxH / height);
        if (!output.upscale()) {
            scale = Math.min(scale, 1.0);
        }
        int outW = Math.min(boxW, Math.max(1, (int) Math.round(width * scale)));
        int outH = Math.min(boxH, Math.max(1, (int) Math.round(height * scale)));
        int keepW = Math.min(width, Math.max(1, (int) Math.round(outW / scale)));
        int keepH = Math.min(height, Math.max(1, (int) Math.round(outH / scale)));
        Gravity g = output.gravity();
        int x = (int) Math.round((width - keepW) * g.x());
        int y = (int) Math.round((height - keepH) * g.y());
        return new Plan(new Region(x, y, keepW, keepH), outW, outH);
    }

    // A side scaled, at least 1 pixel, never past the box (rounding must not overflow it).
    private static int side(int length, double scale, Integer box) {
        int scaled = Math.max(1, (int) Math.round(length * scale));
        return box == null ? scaled : Math.min(scaled, box);
    }

    /** A new image: {@code output}'s plan carried out on {@code image}. */
    public static BufferedImage apply(BufferedImage image, OutputSpec output) {
        return apply(image, output, image.getWidth(), image.getHeight());
    }

    /**
     * A new image: {@code output}'s plan for a source of {@code fullWidth x fullHeight}, carried out on
     * {@code image}, which is that source shrunk on load. Planning on the full size keeps the output's
     * dimensions and crop exactly what they would be without the shrink.
     */
    public static BufferedImage apply(BufferedImage image, OutputSpec output, int fullWidth, int fullHeight) {
        Plan plan = plan(output, fullWidth, fullHeight);
        Region r = plan.region();
        double sx = (double) image.getWidth() / fullWidth;
        double sy = (double) image.getHeight() / fullHeight;
        int x = (int) Math.floor(r.x() * sx);
        int y = (int) Math.floor(r.y() * sy);
        int w = Math.max(1, Math.min(image.getWidth() - x, (int) Math.round(r.width() * sx)));
        int h = Math.max(1, Math.min(image.getHeight() - y, (int) Math.round(r.height() * sy)));
        BufferedImage source = w == image.getWidth() && h == image.getHeight()
                ? Images.toIntType(image)
                : Transforms.crop(image, x, y, w, h);
        return scale(source, plan.width(), plan.height());
    }

    /** A new image of exactly {@code width x height}; a copy when the size is already right. */
    public static BufferedImage scale(BufferedImage image, int width, int height) {
        BufferedImage src = Images.toIntType(image);
        if (src.getWidth() == width && src.getHeight() == height) {
            return src == image ? Transforms.crop(src, 0, 0, width, height) : src;
        }
        return Scalr.resize(src, METHOD, Scalr.Mode.FIT_EXACT, width, height);
    }
}
