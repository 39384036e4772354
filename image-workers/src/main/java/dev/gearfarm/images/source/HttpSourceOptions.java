package dev.gearfarm.images.source;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Limits and address policy for {@link HttpSource}.
 *
 * @param connectTimeout how long one TCP (and TLS) connect may take
 * @param readTimeout the deadline for a whole download, redirects included, and for each read
 * @param maxBytes the largest body accepted
 * @param maxRedirects how many redirects are followed before the fetch is refused
 * @param allowPrivateAddresses when {@code true} the address policy is off: any resolved address is used
 * @param allowedHosts host names ({@code images.local}) or CIDR blocks ({@code 10.0.0.0/8},
 *     {@code 127.0.0.1}, {@code fd00::/8}) exempt from the private-address refusal
 */
public record HttpSourceOptions(
        Duration connectTimeout,
        Duration readTimeout,
        long maxBytes,
        int maxRedirects,
        boolean allowPrivateAddresses,
        List<String> allowedHosts) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_REDIRECTS = 5;
    public static final boolean DEFAULT_ALLOW_PRIVATE_ADDRESSES = false;

    public HttpSourceOptions {
        connectTimeout = positive(connectTimeout, "connect timeout (--http-timeout)");
        readTimeout = positive(readTimeout, "read timeout (--http-timeout)");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("max download bytes must be positive, got " + maxBytes
                    + "; set --max-download-bytes");
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("max redirects must be 0 or more, got " + maxRedirects
                    + "; set --max-redirects");
        }
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        // Parse now so a typo in --allow-private-host fails at start-up, not on the first job.
        AddressPolicy.of(allowPrivateAddresses, allowedHosts);
    }

    /** The defaults: private addresses refused, nothing allow-listed. */
    public static HttpSourceOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().connectTimeout(connectTimeout).readTimeout(readTimeout).maxBytes(maxBytes)
                .maxRedirects(maxRedirects).allowPrivateAddresses(allowPrivateAddresses).allowedHosts(allowedHosts);
    }

    private static Duration positive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }

    /** Builds options; unset fields take the {@code DEFAULT_*} values. */
    public static final class Builder {
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private boolean allowPrivateAddresses = DEFAULT_ALLOW_PRIVATE_ADDRESSES;
        private List<String> allowedHosts = List.of();

        private Builder() {
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        public Builder maxRedirects(int maxRedirects) {
            this.maxRedirects = maxRedirects;
            return this;
        }

        public Builder allowPrivateAddresses(boolean allowPrivateAddresses) {
            this.allowPrivateAddresses = allowPrivateAddresses;
            return this;
        }

        public Builder allowedHosts(List<String> allowedHosts) {
            this.allowedHosts = allowedHosts;
            return this;
        }

        public HttpSourceOptions build() {
            return new HttpSourceOptions(connectTimeout, readTimeout, maxBytes, maxRedirects, allowPrivateAddresses,
                    allowedHosts);
        }
    }
}
