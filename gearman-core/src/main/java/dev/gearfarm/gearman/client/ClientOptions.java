package dev.gearfarm.gearman.client;

import dev.gearfarm.gearman.internal.Checks;
import dev.gearfarm.gearman.internal.ServerAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link GearmanClient} connects and behaves. Immutable; build with {@link #builder()}, or change a
 * copy with {@link #newBuilder()}.
 *
 * @param servers                 job servers as {@code host:port} (port 4730 when left out), in order;
 *                                jobs with a unique id go to the one chosen by its hash, others round-robin
 * @param connectTimeout          how long a TCP connect may take
 * @param responseTimeout         how long a server may take to answer a request (job creation, status),
 *                                not how long a job may run; a server that does not answer in time is
 *                                presumed dead and its connection closed
 * @param reconnectDelayMin       the wait before reconnecting to a server that went away; doubled after
 *                                each failed attempt
 * @param reconnectDelayMax       the longest wait between reconnect attempts
 * @param clientId                names this client's I/O threads and log lines. It is not sent: {@code
 *                                SET_CLIENT_ID} is a worker packet, shown in the server's {@code workers} list
 * @param exceptions              whether to ask each server for {@code WORK_EXCEPTION} packets
 *                                ({@code OPTION_REQ exceptions}), so a worker's exception message reaches
 *                                the caller; without it the server sends {@code WORK_FAIL} instead
 * @param maxPendingPerConnection requests allowed to wait for a reply on one connection; more are
 *                                rejected with {@link dev.gearfarm.gearman.RequestQueueFullException}.
 *                                Running foreground jobs do not count, only requests not yet answered
 */
public record ClientOptions(List<String> servers, Duration connectTimeout, Duration responseTimeout,
        Duration reconnectDelayMin, Duration reconnectDelayMax, String clientId, boolean exceptions,
        int maxPendingPerConnection) {

    /** The server used when none is given. */
    public static final String DEFAULT_SERVER = "localhost:4730";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECONNECT_DELAY_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(30);
    public static final String DEFAULT_CLIENT_ID = "gearman-client";
    public static final boolean DEFAULT_EXCEPTIONS = true;
    public static final int DEFAULT_MAX_PENDING_PER_CONNECTION = 4096;

    public ClientOptions {
        servers = ServerAddress.normalize(servers, DEFAULT_SERVER);
        Checks.positive("connectTimeout", connectTimeout);
        Checks.positive("responseTimeout", responseTimeout);
        Checks.positive("reconnectDelayMin", reconnectDelayMin);
        Checks.positive("reconnectDelayMax", reconnectDelayMax);
        if (reconnectDelayMax.compareTo(reconnectDelayMin) < 0) {
            throw new IllegalArgumentException("reconnectDelayMax " + reconnectDelayMax
                    + " is shorter than reconnectDelayMin " + reconnectDelayMin);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        if (maxPendingPerConnection < 1) {
            throw new IllegalArgumentException("maxPendingPerConnection must be positive: " + maxPendingPerConnection);
        }
    }

    /** The defaults: one server at {@value #DEFAULT_SERVER}. */
    public static ClientOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder newBuilder() {
        Builder builder = new Builder();
        builder.servers.addAll(servers);
        return builder.connectTimeout(connectTimeout).responseTimeout(responseTimeout)
                .reconnectDelay(reconnectDelayMin, reconnectDelayMax).clientId(clientId).exceptions(exceptions)
                .maxPendingPerConnection(maxPendingPerConnection);
    }

    /** Builds {@link ClientOptions}; values are checked by {@link #build()}. */
    public static final class Builder {
        private final List<String> servers = new ArrayList<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private Duration reconnectDelayMin = DEFAULT_RECONNECT_DELAY_MIN;
        private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
        private String clientId = DEFAULT_CLIENT_ID;
        private boolean exceptions = DEFAULT_EXCEPTIONS;
        private int maxPendingPerConnection = DEFAULT_MAX_PENDING_PER_CONNECTION;

        private Builder() {
        }

        /** Adds servers, each {@code host:port} or {@code host}. */
        public Builder servers(String... servers) {
            this.servers.addAll(List.of(servers));
            return this;
        }

        /** Replaces the server list. */
        public Builder servers(List<String> servers) {
            this.servers.clear();
            this.servers.addAll(servers);
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

        /** The first and the longest wait between reconnect attempts. */
        public Builder reconnectDelay(Duration min, Duration max) {
            this.reconnectDelayMin = min;
            this.reconnectDelayMax = max;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder exceptions(boolean exceptions) {
            this.exceptions = exceptions;
            return this;
        }

        public Builder maxPendingPerConnection(int maxPendingPerConnection) {
            this.maxPendingPerConnection = maxPendingPerConnection;
            return this;
        }

        /** The options; throws {@link IllegalArgumentException} naming any bad value. */
        public ClientOptions build() {
            return new ClientOptions(servers.isEmpty() ? List.of(DEFAULT_SERVER) : servers, connectTimeout,
                    responseTimeout, reconnectDelayMin, reconnectDelayMax, clientId, exceptions,
                    maxPendingPerConnection);
        }
    }
}
