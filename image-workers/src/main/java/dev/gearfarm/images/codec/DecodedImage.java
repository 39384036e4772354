package dev.gearfarm.images.codec;

import java.awt.image.BufferedImage;

/**
 * A decoded source: upright, INT_RGB or INT_ARGB, perhaps shrunk on load, with what its header said.
 * Closing it gives its share of the {@link PixelBudget} back; keep it open while the pixels are in use.
 *
 * @param image the pixels, EXIF orientation applied
 * @param format the format read, lower case ({@code jpeg}, {@code png}, {@code gif}, {@code webp}…)
 * @param width the source's width as displayed (after orientation), before any shrink on load
 * @param height the source's height as displayed, before any shrink on load
 * @param orientation the EXIF orientation found (1 when none), already applied to {@code image}
 * @param subsampling the shrink-on-load factor used (1 = full size)
 */
public record DecodedImage(BufferedImage image, String format, int width, int height, int orientation,
        int subsampling, PixelBudget.Permit permit) implements AutoCloseable {

    @Override
    public void close() {
        if (permit != null) {
            permit.close();
        }
    }
}
