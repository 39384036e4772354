package dev.gearfarm.images.s3;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;

/** An object's address in a store, parsed from {@code s3://bucket/key}. */
public record S3Location(String bucket, String key) {
    /** The scheme prefix of an S3 reference. */
    public static final String PREFIX = "s3://";

    public S3Location {
        if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
            throw new ImageJobException(Reason.BAD_SPEC, "an S3 location needs a bucket and a key, got bucket \""
                    + bucket + "\" key \"" + key + "\"");
        }
    }

    /** Whether the reference has the {@code s3://} form (case-insensitive scheme). */
    public static boolean isS3(String reference) {
        return reference != null && reference.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * Parses {@code s3://bucket/key}; the key is taken verbatim (it may hold further slashes, spaces, any
     * UTF-8), because S3 keys are not URL paths.
     *
     * @throws ImageJobException BAD_SPEC naming the reference and the form expected
     */
    public static S3Location parse(String reference) {
        if (!isS3(reference)) {
            throw bad(reference, "it does not start with s3://");
        }
        String rest = reference.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw bad(reference, slash == 0 ? "the bucket is empty" : "there is no key after the bucket");
        }
        String bucket = rest.substring(0, slash);
        String key = rest.substring(slash + 1);
        if (key.isEmpty()) {
            throw bad(reference, "the key is empty");
        }
        if (!validBucket(bucket)) {
            throw bad(reference, "\"" + bucket + "\" is not a bucket name (3-63 characters: a-z 0-9 . -)");
        }
        return new S3Location(bucket, key);
    }

    @Override
    public String toString() {
        return PREFIX + bucket + "/" + key;
    }

    // S3's own bucket naming rules, loosely: the store gives the final word, this catches typos early.
    private static boolean validBucket(String bucket) {
        if (bucket.length() < 3 || bucket.length() > 63) {
            return false;
        }
        for (int i = 0; i < bucket.length(); i++) {
            char c = bucket.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static ImageJobException bad(String reference, String why) {
        return new ImageJobException(Reason.BAD_SPEC, "bad S3 reference \"" + reference + "\": " + why
                + "; use s3://bucket/key");
    }
}
