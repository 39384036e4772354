package dev.gearfarm.images.s3;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * How to reach an S3-compatible store (AWS S3, MinIO, s3proxy).
 *
 * @param endpoint the store's base URL with its scheme ({@code http://minio:9000}); {@code null} means
 *     AWS's own endpoint for the region
 * @param region the signing region; MinIO accepts any, its default is {@code us-east-1}
 * @param accessKey with {@code secretKey}: static credentials; both {@code null} means the SDK's default
 *     provider chain (environment, profile, instance role)
 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; MinIO and
 *     s3proxy need it, because {@code bucket.host} does not resolve
 */
public record S3Settings(URI endpoint, String region, String accessKey, String secretKey, boolean pathStyle) {
    public static final String DEFAULT_REGION = "us-east-1";
    public static final boolean DEFAULT_PATH_STYLE = true;

    public S3Settings {
        if (endpoint != null) {
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
                throw new IllegalArgumentException("S3 endpoint must be an http:// or https:// URL with a host, got \""
                        + endpoint + "\"; e.g. --s3-endpoint http://minio:9000");
            }
        }
        region = region == null || region.isBlank() ? DEFAULT_REGION : region.trim();
        accessKey = blankToNull(accessKey);
        secretKey = blankToNull(secretKey);
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("S3 credentials need both an access key and a secret key"
                    + " (--s3-access-key and --s3-secret-key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
        }
    }

    /** Whether static credentials were given (else the SDK's default provider chain is used). */
    public boolean hasStaticCredentials() {
        return accessKey != null;
    }

    /**
     * Settings from the standard AWS environment variables: {@code AWS_ENDPOINT_URL_S3} (or
     * {@code AWS_ENDPOINT_URL}), {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}),
     * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}; path style stays on.
     */
    public static S3Settings fromEnvironment(Map<String, String> env) {
        Builder builder = builder();
        String endpoint = first(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
        if (endpoint != null) {
            builder.endpoint(parseEndpoint(endpoint));
        }
        return builder.region(first(env, "AWS_REGION", "AWS_DEFAULT_REGION"))
                .accessKey(first(env, "AWS_ACCESS_KEY_ID"))
                .secretKey(first(env, "AWS_SECRET_ACCESS_KEY"))
                .build();
    }

    /** An endpoint URL as a user typed it, with a clear error when it is not one. */
    public static URI parseEndpoint(String text) {
        try {
            return URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("S3 endpoint \"" + text + "\" is not a URL; e.g. http://minio:9000", e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder seeded with these settings, to change one of them. */
    public Builder toBuilder() {
        return new Builder().endpoint(endpoint).region(region).accessKey(accessKey).secretKey(secretKey)
                .pathStyle(pathStyle);
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = blankToNull(env.get(name));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Names the endpoint, region and access key id; never the secret key, so settings can be logged. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", secretKey=" + (secretKey == null ? "null" : "(hidden)") + ", pathStyle=" + pathStyle + "]";
    }

    /** Builds settings; unset fields take the {@code DEFAULT_*} values, validation is the record's. */
    public static final class Builder {
        private URI endpoint;
        private String region = DEFAULT_REGION;
        private String accessKey;
        private String secretKey;
        private boolean pathStyle = DEFAULT_PATH_STYLE;

        private Builder() {
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder accessKey(String accessKey) {
            this.accessKey = accessKey;
            return this;
        }

        public Builder secretKey(String secretKey) {
            this.secretKey = secretKey;
            return this;
        }

        /** Static credentials in one call. */
        public Builder credentials(String accessKey, String secretKey) {
            return accessKey(accessKey).secretKey(secretKey);
        }

        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        public S3Settings build() {
            return new S3Settings(endpoint, region, accessKey, secretKey, pathStyle);
        }
    }
}
