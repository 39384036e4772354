package dev.gearfarm.images.worker;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.codec.DecodedImage;
import dev.gearfarm.images.codec.ImageDecoder;
import dev.gearfarm.images.codec.PixelBudget;
import dev.gearfarm.images.source.ImageSource;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watermark images by reference, fetched and decoded once and kept (least recently used first out),
 * because every job of a site tends to use the same one or two.
 */
final class WatermarkCache {
    /** Watermarks are small overlays; a bigger one is refused rather than cached. */
    static final long MAX_PIXELS = 4_000_000;
    static final int MAX_ENTRIES = 16;

    private final ImageSource sources;
    // Its own budget: a job already holds its source's share, and waiting on the shared budget for a
    // watermark could deadlock jobs against each other.
    private final ImageDecoder decoder = new ImageDecoder(MAX_PIXELS, new PixelBudget((int) (MAX_PIXELS / 1_000_000)));
    private final Map<String, BufferedImage> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BufferedImage> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    WatermarkCache(ImageSource sources) {
        this.sources = sources;
    }

    BufferedImage get(String reference) {
        synchronized (cache) {
            BufferedImage hit = cache.get(reference);
            if (hit != null) {
                return hit;
            }
        }
        BufferedImage image;
        try (DecodedImage decoded = decoder.decode(sources.fetch(reference), reference, ImageDecoder.ScaleNeed.FULL)) {
            image = decoded.image();
        } catch (ImageJobException e) {
            throw new ImageJobException(e.reason(), "watermark: " + e.getMessage(), e);
        }
        synchronized (cache) {
            cache.put(reference, image);
        }
        return image;
    }
}
