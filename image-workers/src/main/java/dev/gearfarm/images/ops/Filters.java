package dev.gearfarm.images.ops;

import java.awt.image.BufferedImage;

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
     * Gaussian blur of standard deviation {@code sigma}: two one-dimensional passes (rows, then columns),
     * 2r multiplications a pixel instead of r squared, with edge pixels repeated beyond the border. Not
     * ConvolveOp: it truncates each pass to 8 bits, which darkened flat areas by 2 levels in our test,
     * and it leaves the border sharp (EDGE_NO_OP) or black (EDGE_ZERO_FILL). Here sums stay in floats
     * until one rounding at the end.
     */
    public static BufferedImage blur(BufferedImage image, double sigma) {
        BufferedImage src = Images.toIntType(image);
        int w = src.getWidth();
        int h = src.getHeight();
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = gaussian(sigma, radius);
        int[] in = Images.pixels(src);
        float[] rows = new float[in.length * 4];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float a = 0, r = 0, g = 0, b = 0;
                for (int i = -radius; i <= radius; i++) {
                    int p = in[row + Math.min(w - 1, Math.max(0, x + i))];
                    float weight = k[i + radius];
                    a += weight * (p >>> 24);
                    r += weight * ((p >> 16) & 0xff);
                    g += weight * ((p >> 8) & 0xff);
                    b += weight * (p & 0xff);
                }
                int o = (row + x) * 4;
                rows[o] = a;
                rows[o + 1] = r;
                rows[o + 2] = g;
                rows[o + 3] = b;
            }
        }
        BufferedImage out = Images.blank(src, w, h);
        int[] to = Images.pixels(out);
        boolean alpha = src.getColorModel().hasAlpha();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float a = 0, r = 0, g = 0, b = 0;
                for (int i = -radius; i <= radius; i++) {
                    int o = (Math.min(h - 1, Math.max(0, y + i)) * w + x) * 4;
                    float weight = k[i + radius];
                    a += weight * rows[o];
                    r += weight * rows[o + 1];
                    g += weight * rows[o + 2];
                    b += weight * rows[o + 3];
                }
                to[y * w + x] = (alpha ? channel(a) : 0xff) << 24 | channel(r) << 16 | channel(g) << 8 | channel(b);
            }
        }
        return out;
    }

    private static int channel(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
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
}
