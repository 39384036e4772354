package dev.gearfarm.gearman.internal;

import dev.gearfarm.gearman.protocol.ProtocolLimits;
import java.time.Duration;

/**
 * What one connection needs to know, taken from the client's or worker's options.
 *
 * @param connectTimeout  how long a TCP connect may take
 * @param responseTimeout how long the oldest request may wait for its reply before the connection is
 *                        presumed dead and closed
 * @param maxPending      requests allowed to wait for a reply at once; more are rejected
 * @param limits          caps on what the server may send
 */
public record ConnectionSettings(Duration connectTimeout, Duration responseTimeout, int maxPending,
        ProtocolLimits limits) {

    public ConnectionSettings {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
        if (responseTimeout == null || responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("responseTimeout must be positive: " + responseTimeout);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be positive: " + maxPending);
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
    }
}
