package dev.gearfarm.images.ops;

import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;

/** Grayscale, Gaussian blur and unsharp-mask sharpen; each returns a new image. */
public final class Filters {
    /** The blur radius used by sharpen's unsharp mask, in pixels (sigma). */
    public static final double SHARPEN_SIGMA = 1.0;

    private Filters() {}

    /** Luminance (Rec. 601 weights) in all three channels; alpha kept. */
    public static BufferedImage grayscale(BufferedImage image) {
        BufferedImage src = Images.toIntType(image);
        BufferedImage out = Images.blank(src, src.getWidth(), src.getHeight());
        int[] in = Images.pixels(src);
        int[] to = Images.pixels(out);
        for (int i = 0; i < in.length; i++) {
            int p = in[i];
            int luma = (299 * ((p >> 16) & 0xff) + 587 * ((p >> 8) & 0xff) + 114 * (p & 0xff) + 500) / 1000;
            to[i] = (p & 0xff000000) | luma << 16 | luma << 8 | luma;
        }
        return out;
    }

    /**
     * Gaussian blur of standard deviation {@code sigma}: two one-dimensional ConvolveOps (rows, then
     * columns), which costs 2r multiplications a pixel instead of r squared. The image is padded with
     * copies of its edge first, because ConvolveOp would otherwise leave a sharp (EDGE_NO_OP) or black
     * (EDGE_ZERO_FILL) border.
     */
    public static BufferedImage blur(BufferedImage image, double sigma) {
        BufferedImage src = Images.toIntType(image);
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] weights = gaussian(sigma, radius);
        BufferedImage padded = pad(src, radius);
        BufferedImage rows = new ConvolveOp(new Kernel(weights.length, 1, weights), ConvolveOp.EDGE_NO_OP, null)
                .filter(padded, null);
        BufferedImage both = new ConvolveOp(new Kernel(1, weights.length, weights), ConvolveOp.EDGE_NO_OP, null)
                .filter(rows, null);
        return Transforms.crop(Images.toIntType(both), radius, radius, src.getWidth(), src.getHeight());
    }

    /** Unsharp mask: each channel moves away from its blurred value by {@code amount} times the difference. */
    public static BufferedImage sharpen(BufferedImage image, double amount) {
        BufferedImage src = Images.toIntType(image);
        BufferedImage blurred = blur(src, SHARPEN_SIGMA);
        BufferedImage out = Images.blank(src, src.getWidth(), src.getHeight());
        int[] in = Images.pixels(src);
        int[] soft = Images.pixels(blurred);
        int[] to = Images.pixels(out);
        for (int i = 0; i < in.length; i++) {
            int p = in[i];
            int q = soft[i];
            to[i] = (p & 0xff000000)
                    | sharpened(p >> 16, q >> 16, amount) << 16
                    | sharpened(p >> 8, q >> 8, amount) << 8
                    | sharpened(p, q, amount);
        }
        return out;
    }

    private static int sharpened(int original, int blurred, double amount) {
        int o = original & 0xff;
        long v = Math.round(o + amount * (o - (blurred & 0xff)));
        return (int) Math.max(0, Math.min(255, v));
    }

    static float[] gaussian(double sigma, int radius) {
        float[] w = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = Math.exp(-(i * i) / (2 * sigma * sigma));
            w[i + radius] = (float) v;
            sum += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (w[i] / sum);
        }
        return w;
    }

    // The image inside a border of `radius` pixels that repeat its outermost rows and columns.
    private static BufferedImage pad(BufferedImage src, int radius) {
        int w = src.getWidth();
        int h = src.getHeight();
        int pw = w + 2 * radius;
        BufferedImage out = Images.blank(src, pw, h + 2 * radius);
        int[] in = Images.pixels(src);
        int[] to = Images.pixels(out);
        for (int y = 0; y < h + 2 * radius; y++) {
            int sy = Math.min(h - 1, Math.max(0, y - radius));
            for (int x = 0; x < pw; x++) {
                int sx = Math.min(w - 1, Math.max(0, x - radius));
                to[y * pw + x] = in[sy * w + sx];
            }
        }
        return out;
    }
}
