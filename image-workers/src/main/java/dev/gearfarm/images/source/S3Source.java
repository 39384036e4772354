package dev.gearfarm.images.source;

import dev.gearfarm.images.s3.S3Location;
import dev.gearfarm.images.s3.S3Storage;

/** Reads {@code s3://bucket/key} objects through the process's shared {@link S3Storage}. */
public final class S3Source implements ImageSource {
    private final S3Storage storage;
    private final long maxBytes;

    public S3Source(S3Storage storage, long maxBytes) {
        this.storage = storage;
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handles(String reference) {
        return S3Location.isS3(reference);
    }

    @Override
    public byte[] fetch(String reference) {
        S3Location location = S3Location.parse(reference);
        return storage.get(location.bucket(), location.key(), maxBytes);
    }
}
