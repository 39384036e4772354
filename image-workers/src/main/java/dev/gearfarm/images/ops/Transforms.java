package dev.gearfarm.images.ops;

import dev.gearfarm.images.ImageJobException;
import java.awt.image.BufferedImage;

/**
 * The eight rotations and mirrorings of a rectangle, named by their EXIF orientation value, plus crop.
 * One pixel-mapping loop serves EXIF orientation, rotate and flip, so all three agree by construction.
 */
public final class Transforms {
    /** EXIF orientation 1: already upright. */
    public static final int IDENTITY = 1;
    /** EXIF 2: mirrored left to right. */
    public static final int FLIP_HORIZONTAL = 2;
    /** EXIF 3: turned 180 degrees. */
    public static final int ROTATE_180 = 3;
    /** EXIF 4: mirrored top to bottom. */
    public static final int FLIP_VERTICAL = 4;
    /** EXIF 5: mirrored along the top-left to bottom-right diagonal. */
    public static final int TRANSPOSE = 5;
    /** EXIF 6: needs a 90 degree clockwise turn. */
    public static final int ROTATE_90 = 6;
    /** EXIF 7: mirrored along the top-right to bottom-left diagonal. */
    public static final int TRANSVERSE = 7;
    /** EXIF 8: needs a 270 degree clockwise turn. */
    public static final int ROTATE_270 = 8;

    private Transforms() {}

    /** Whether the transform for this EXIF orientation swaps width and height. */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * A new image that shows {@code image} upright, given the EXIF orientation it was stored with (the
     * transform EXIF says to apply for display). Orientation 1, or a value outside 1..8, returns a copy.
     */
    public static BufferedImage orient(BufferedImage image, int orientation) {
        BufferedImage src = Images.toIntType(image);
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = swapsAxes(orientation);
        int dw = swap ? h : w;
        BufferedImage out = Images.blank(src, dw, swap ? w : h);
        int[] in = Images.pixels(src);
        int[] to = Images.pixels(out);
        if (orientation < FLIP_HORIZONTAL || orientation > ROTATE_270) {
            System.arraycopy(in, 0, to, 0, w * h);    // upright already: a plain copy, not the per-pixel map
            return out;
        }
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (orientation) {
                    case FLIP_HORIZONTAL -> { dx = w - 1 - x; dy = y; }
                    case ROTATE_180 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case FLIP_VERTICAL -> { dx = x; dy = h - 1 - y; }
                    case TRANSPOSE -> { dx = y; dy = x; }
                    case ROTATE_90 -> { dx = h - 1 - y; dy = x; }
                    case TRANSVERSE -> { dx = h - 1 - y; dy = w - 1 - x; }
                    case ROTATE_270 -> { dx = y; dy = w - 1 - x; }
                    default -> { dx = x; dy = y; }
                }
                to[dy * dw + dx] = in[row + x];
            }
        }
        return out;
    }

    /** Turns the image clockwise by 90, 180 or 270 degrees. */
    public static BufferedImage rotate(BufferedImage image, int degrees) {
        return orient(image, switch (degrees) {
            case 90 -> ROTATE_90;
            case 180 -> ROTATE_180;
            case 270 -> ROTATE_270;
            default -> throw new IllegalArgumentException("rotate degrees must be 90, 180 or 270, got " + degrees);
        });
    }

    /** Mirrors left to right ({@code horizontal}) or top to bottom. */
    public static BufferedImage flip(BufferedImage image, boolean horizontal) {
        return orient(image, horizontal ? FLIP_HORIZONTAL : FLIP_VERTICAL);
    }

    /** A copy of the rectangle; BAD_SPEC naming both sizes when it does not lie inside the image. */
    public static BufferedImage crop(BufferedImage image, int x, int y, int width, int height) {
        if (x < 0 || y < 0 || width <= 0 || height <= 0
                || (long) x + width > image.getWidth() || (long) y + height > image.getHeight()) {
            throw new ImageJobException(ImageJobException.Reason.BAD_SPEC, "crop " + width + "x" + height + " at "
                    + x + "," + y + " does not fit inside the " + image.getWidth() + "x" + image.getHeight()
                    + " image; choose a rectangle inside it");
        }
        BufferedImage src = Images.toIntType(image);
        BufferedImage out = Images.blank(src, width, height);
        int[] in = Images.pixels(src);
        int[] to = Images.pixels(out);
        for (int row = 0; row < height; row++) {
            System.arraycopy(in, (y + row) * src.getWidth() + x, to, row * width, width);
        }
        return out;
    }
}
