package dev.gearfarm.images.batch;

import dev.gearfarm.images.s3.S3Location;
import dev.gearfarm.images.s3.S3Storage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * S3 prefixes through {@link S3Storage}: lists keys under a prefix, finds outputs by HEAD. A prefix is
 * treated like a folder: {@code s3://b/photos} lists {@code photos/…}, not {@code photos-old/…}.
 */
public final class S3Store implements Store {
    private final S3Storage storage;

    public S3Store(S3Storage storage) {
        this.storage = storage;
    }

    @Override
    public boolean handles(String location) {
        return S3Location.isS3(location);
    }

    @Override
    public List<String> list(String root, boolean recursive) {
        String rest = root.substring(S3Location.PREFIX.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException(root + " has no bucket; give s3://bucket/prefix");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        List<String> names = new ArrayList<>();
        for (String key : storage.list(bucket, prefix)) {
            String relative = key.substring(prefix.length());
            if (relative.isEmpty() || relative.endsWith("/") || (!recursive && relative.contains("/"))) {
                continue;
            }
            names.add(relative);
        }
        Collections.sort(names);
        return names;
    }

    @Override
    public boolean exists(String location) {
        S3Location object = S3Location.parse(location);
        return storage.exists(object.bucket(), object.key());
    }
}
