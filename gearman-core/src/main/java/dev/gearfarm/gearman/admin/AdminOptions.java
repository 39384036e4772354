package dev.gearfarm.gearman.admin;

import java.time.Duration;

/**
 * Where a {@link GearmanAdmin} connects and how long it waits. Immutable; build with {@link #builder()}.
 *
 * @param host            the job server's host name or address
 * @param port            the job server's port
 * @param connectTimeout  how long the TCP connect may take
 * @param responseTimeout how long the server may take to send a complete reply (all lines of a list); a
 *                        server that does not answer in time has its connection closed, because the
 *                        late reply would otherwise be taken for the answer to the next command
 */
public record AdminOptions(String host, int port, Duration connectTimeout, Duration responseTimeout) {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 4730;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    /** Socket timeouts are whole milliseconds in an {@code int}. */
    private static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    public AdminOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty, for example " + DEFAULT_HOST);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535: " + port + " (the Gearman port is "
                    + DEFAULT_PORT + ")");
        }
        checkTimeout("connectTimeout", connectTimeout);
        checkTimeout("responseTimeout", responseTimeout);
    }

    /** The defaults: {@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}. */
    public static AdminOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder newBuilder() {
        return new Builder().host(host).port(port).connectTimeout(connectTimeout).responseTimeout(responseTimeout);
    }

    /** {@code host:port}, as messages name the server. */
    public String address() {
        return host + ":" + port;
    }

    private static void checkTimeout(String name, Duration value) {
        if (value == null || value.toMillis() < 1 || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(name + " must be between 1 ms and " + MAX_TIMEOUT.toDays()
                    + " days: " + value);
        }
    }

    /** Builds {@link AdminOptions}; values are checked by {@link #build()}. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        /** The options; throws {@link IllegalArgumentException} naming the first bad value. */
        public AdminOptions build() {
            return new AdminOptions(host, port, connectTimeout, responseTimeout);
        }
    }
}
