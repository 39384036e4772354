package dev.gearfarm.images.ops;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Pixel-format helpers: every operation works on INT_RGB or INT_ARGB images, which these produce. */
public final class Images {
    private Images() {}

    /** Whether the image is one of the two types the operations work on directly. */
    public static boolean isIntType(BufferedImage image) {
        return image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB;
    }

    /**
     * The image as INT_RGB (opaque) or INT_ARGB (with alpha); the same instance when it already is one.
     * TYPE_CUSTOM, grey, indexed and 16-bit images scale slowly and sometimes wrongly in Java2D, so they
     * are converted once, right after decoding.
     */
    public static BufferedImage toIntType(BufferedImage image) {
        if (isIntType(image)) {
            return image;
        }
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(),
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** An opaque INT_RGB copy with transparent parts blended onto {@code backgroundRgb} (JPEG has no alpha). */
    public static BufferedImage flatten(BufferedImage image, int backgroundRgb) {
        if (!image.getColorModel().hasAlpha()) {
            return toIntType(image);
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(new java.awt.Color(backgroundRgb));
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** A new image of the same type (INT_RGB or INT_ARGB) as {@code like}. */
    static BufferedImage blank(BufferedImage like, int width, int height) {
        return new BufferedImage(width, height, like.getColorModel().hasAlpha()
                ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    }

    /** The backing pixel array of an INT_RGB/INT_ARGB image (one int per pixel, row by row). */
    static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }
}
