package dev.gearfarm.gearman.worker;

import dev.gearfarm.gearman.internal.Checks;
import dev.gearfarm.gearman.internal.ServerAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link GearmanWorker} connects and behaves. Immutable; build with {@link #builder()}, or change a
 * copy with {@link #newBuilder()}.
 *
 * @param servers           job servers as {@code host:port} (port 4730 when left out); the worker takes
 *                          jobs from all of them
 * @param concurrency       the most jobs running at once, across all servers; the worker asks a server
 *                          for a job only while fewer are running
 * @param clientId          sent as {@code SET_CLIENT_ID}, so the server's {@code workers} list shows it;
 *                          empty for none. Also names the worker's threads
 * @param connectTimeout    how long a TCP connect may take
 * @param responseTimeout   how long a server may take to answer a grab request before its connection is
 *                          presumed dead, closed and reconnected
 * @param reconnectDelayMin the wait before reconnecting to a server that went away; doubled after each
 *                          failed attempt
 * @param reconnectDelayMax the longest wait between reconnect attempts
 * @param shutdownTimeout   how long {@link GearmanWorker#close()} waits for running jobs to finish before it
 *                          interrupts them
 */
public record WorkerOptions(List<String> servers, int concurrency, String clientId, Duration connectTimeout,
        Duration responseTimeout, Duration reconnectDelayMin, Duration reconnectDelayMax,
        Duration shutdownTimeout) {

    /** The server used when none is given. */
    public static final String DEFAULT_SERVER = "localhost:4730";
    /** One job per available processor. */
    public static final int DEFAULT_CONCURRENCY = Runtime.getRuntime().availableProcessors();
    /** No {@code SET_CLIENT_ID}. */
    public static final String DEFAULT_CLIENT_ID = "";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECONNECT_DELAY_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** Longest client id; C gearmand keeps 64 bytes of it. */
    public static final int MAX_CLIENT_ID_LENGTH = 64;

    public WorkerOptions {
        servers = ServerAddress.normalize(servers, DEFAULT_SERVER);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        if (clientId == null) {
            clientId = DEFAULT_CLIENT_ID;
        }
        if (clientId.length() > MAX_CLIENT_ID_LENGTH || clientId.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("clientId '" + clientId + "' must be at most " + MAX_CLIENT_ID_LENGTH
                    + " printable ASCII characters without spaces (the server shows it in its workers list)");
        }
        Checks.positive("connectTimeout", connectTimeout);
        Checks.positive("responseTimeout", responseTimeout);
        Checks.positive("reconnectDelayMin", reconnectDelayMin);
        Checks.positive("reconnectDelayMax", reconnectDelayMax);
        if (reconnectDelayMax.compareTo(reconnectDelayMin) < 0) {
            throw new IllegalArgumentException("reconnectDelayMax " + reconnectDelayMax
                    + " is shorter than reconnectDelayMin " + reconnectDelayMin);
        }
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative: " + shutdownTimeout);
        }
    }

    /** The defaults: one server at {@value #DEFAULT_SERVER}. */
    public static WorkerOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder newBuilder() {
        return new Builder().servers(servers).concurrency(concurrency).clientId(clientId)
                .connectTimeout(connectTimeout).responseTimeout(responseTimeout)
                .reconnectDelay(reconnectDelayMin, reconnectDelayMax).shutdownTimeout(shutdownTimeout);
    }

    /** Builds {@link WorkerOptions}; values are checked by {@link #build()}. */
    public static final class Builder {
        private final List<String> servers = new ArrayList<>();
        private int concurrency = DEFAULT_CONCURRENCY;
        private String clientId = DEFAULT_CLIENT_ID;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private Duration reconnectDelayMin = DEFAULT_RECONNECT_DELAY_MIN;
        private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

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

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
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

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /** The options; throws {@link IllegalArgumentException} naming any bad value. */
        public WorkerOptions build() {
            return new WorkerOptions(servers.isEmpty() ? List.of(DEFAULT_SERVER) : servers, concurrency, clientId,
                    connectTimeout, responseTimeout, reconnectDelayMin, reconnectDelayMax, shutdownTimeout);
        }
    }
}
