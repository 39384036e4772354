package dev.gearfarm.images.sink;

import dev.gearfarm.images.ImageJobException;

/** Stores an encoded output where a job's destination says (a folder, an S3 bucket). */
public interface ImageSink {
    /** Whether this sink serves the destination, judged by its form alone. */
    boolean handles(String destination);

    /**
     * Stores the bytes completely or not at all, and returns where they went in the form a user can
     * use again (an absolute path, {@code s3://bucket/key}).
     *
     * @param mediaType e.g. {@code image/jpeg}
     * @throws ImageJobException naming the destination and the cause
     */
    String store(String destination, byte[] bytes, String mediaType);
}
