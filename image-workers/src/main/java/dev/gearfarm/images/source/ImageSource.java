package dev.gearfarm.images.source;

import dev.gearfarm.images.ImageJobException;

/** Fetches the encoded bytes a job names as its source (a URL, a file, an S3 object). */
public interface ImageSource {
    /** Whether this source serves the reference, judged by its form alone (scheme, absolute path). */
    boolean handles(String reference);

    /**
     * The whole encoded image, at most the configured byte limit.
     *
     * @throws ImageJobException naming the reference and the cause (not found, refused, too large…)
     */
    byte[] fetch(String reference);
}
