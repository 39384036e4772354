package dev.gearfarm.gearmand.config;

import dev.gearfarm.gearman.protocol.ProtocolLimits;
import dev.gearfarm.gearmand.engine.EngineConfig;
import java.util.List;

/**
 * Everything a running server was configured with.
 *
 * @param port              TCP port; 0 picks a free one
 * @param listen            addresses to bind; empty binds every address
 * @param threads           I/O threads
 * @param backlog           listen backlog
 * @param keepalive         SO_KEEPALIVE on accepted connections
 * @param keepaliveIdle     seconds idle before the first probe
 * @param keepaliveInterval seconds between probes
 * @param keepaliveCount    probes before the connection is dropped
 * @param stalledSeconds    a connection that sends part of a packet and then nothing for this long is closed
 * @param verbose           log level name, C gearmand's vocabulary
 * @param limits            packet and admin-line size caps
 * @param engine            job engine settings
 */
public record ServerConfig(int port, List<String> listen, int threads, int backlog, boolean keepalive,
        int keepaliveIdle, int keepaliveInterval, int keepaliveCount, int stalledSeconds, String verbose,
        ProtocolLimits limits, EngineConfig engine) {

    /** The IANA port for Gearman. */
    public static final int DEFAULT_PORT = 4730;

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (stalledSeconds < 1) {
            throw new IllegalArgumentException("stalled-connection timeout must be at least 1 s: " + stalledSeconds);
        }
        listen = List.copyOf(listen);
    }

    /** Settings for a test server on a free loopback port. */
    public static ServerConfig forTesting(EngineConfig engine) {
        return new ServerConfig(0, List.of("127.0.0.1"), 2, 128, false, 0, 0, 0, 30, "WARNING",
                ProtocolLimits.DEFAULT, engine);
    }
}
