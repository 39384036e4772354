package dev.gearfarm.images.sink;

import dev.gearfarm.images.s3.S3Location;
import dev.gearfarm.images.s3.S3Storage;

/** Stores outputs as {@code s3://bucket/key} objects with their content type. */
public final class S3Sink implements ImageSink {
    private final S3Storage storage;

    public S3Sink(S3Storage storage) {
        this.storage = storage;
    }

    @Override
    public boolean handles(String destination) {
        return S3Location.isS3(destination);
    }

    @Override
    public String store(String destination, byte[] bytes, String mediaType) {
        S3Location location = S3Location.parse(destination);
        storage.put(location.bucket(), location.key(), bytes, mediaType);
        return location.toString();
    }
}
