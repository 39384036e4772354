package dev.gearfarm.images.source;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which resolved addresses an HTTP source may connect to: the SSRF guard.
 *
 * <p>Refused unless allow-listed: loopback, link-local (cloud metadata at 169.254.169.254 included),
 * private (RFC 1918, IPv6 ULA and site-local), CGNAT shared space, unspecified, multicast, reserved and
 * benchmarking ranges, and IPv6 forms that embed such an IPv4 address (6to4, NAT64, IPv4-compatible).
 * IPv4-mapped IPv6 addresses need no rule: {@link InetAddress} already turns them into IPv4 ones.
 */
final class AddressPolicy {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private static final List<Block> REFUSED = List.of(
            block("0.0.0.0/8", "unspecified (this network)"),
            block("10.0.0.0/8", "private"),
            block("100.64.0.0/10", "carrier-grade NAT shared"),
            block("127.0.0.0/8", "loopback"),
            block("169.254.0.0/16", "link-local (cloud metadata)"),
            block("172.16.0.0/12", "private"),
            block("192.0.0.0/24", "IETF protocol assignment"),
            block("192.168.0.0/16", "private"),
            block("198.18.0.0/15", "benchmarking"),
            block("224.0.0.0/4", "multicast"),
            block("240.0.0.0/4", "reserved or broadcast"),
            block("::/128", "unspecified"),
            block("::1/128", "loopback"),
            block("::/96", "IPv4-compatible (deprecated)"),
            block("100::/64", "discard-only"),
            block("fc00::/7", "unique local (private)"),
            block("fe80::/10", "link-local"),
            block("fec0::/10", "site-local (private)"),
            block("ff00::/8", "multicast"));

    private static final Block SIX_TO_FOUR = block("2002::/16", "6to4");
    private static final Block NAT64 = block("64:ff9b::/96", "NAT64");

    private final boolean allowAll;
    private final List<String> hosts;
    private final List<Block> allowedBlocks;

    private AddressPolicy(boolean allowAll, List<String> hosts, List<Block> allowedBlocks) {
        this.allowAll = allowAll;
        this.hosts = hosts;
        this.allowedBlocks = allowedBlocks;
    }

    /**
     * A policy from {@code --allow-private-host} entries: host names, IP addresses or CIDR blocks.
     *
     * @throws IllegalArgumentException naming an entry that is none of these
     */
    static AddressPolicy of(boolean allowAll, List<String> allowed) {
        List<String> hosts = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (String raw : allowed) {
            String entry = raw == null ? "" : raw.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("--allow-private-host entry is empty; give a host name, an IP"
                        + " address or a CIDR block such as 10.0.0.0/8");
            }
            if (isLiteralOrCidr(entry)) {
                blocks.add(parseBlock(entry, "allowed"));
            } else {
                hosts.add(normaliseHost(entry));
            }
        }
        return new AddressPolicy(allowAll, List.copyOf(hosts), List.copyOf(blocks));
    }

    /**
     * Why {@code address}, which {@code host} resolved to, must not be fetched, or {@code null} when it
     * may be.
     */
    String refusal(String host, InetAddress address) {
        if (allowAll || hosts.contains(normaliseHost(host))) {
            return null;
        }
        for (Block allowed : allowedBlocks) {
            if (allowed.contains(address)) {
                return null;
            }
        }
        String kind = refusedKind(address);
        return kind == null ? null : address.getHostAddress() + " is a " + kind + " address";
    }

    /** The kind of refused range the address is in, or {@code null} for a public address. */
    static String refusedKind(InetAddress address) {
        for (Block block : REFUSED) {
            if (block.contains(address)) {
                return block.name;
            }
        }
        InetAddress embedded = embeddedIpv4(address);
        if (embedded != null) {
            String inner = refusedKind(embedded);
            if (inner != null) {
                return (SIX_TO_FOUR.contains(address) ? "6to4" : "NAT64") + " form of a " + inner;
            }
        }
        return null;
    }

    /** A host name as compared with the allow-list: lower case, no trailing dot, no IPv6 brackets. */
    static String normaliseHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    // 6to4 carries the IPv4 address in bytes 2..5, NAT64 (the well-known prefix) in bytes 12..15.
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        int offset = SIX_TO_FOUR.contains(address) ? 2 : NAT64.contains(address) ? 12 : -1;
        if (offset < 0) {
            return null;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }

    private static boolean isLiteralOrCidr(String entry) {
        String address = entry.contains("/") ? entry.substring(0, entry.indexOf('/')) : entry;
        return IPV4.matcher(address).matches() || address.contains(":");
    }

    private static Block block(String cidr, String name) {
        return parseBlock(cidr, name);
    }

    private static Block parseBlock(String cidr, String name) {
        int slash = cidr.indexOf('/');
        String addressText = slash < 0 ? cidr : cidr.substring(0, slash);
        if (addressText.startsWith("[") && addressText.endsWith("]")) {
            addressText = addressText.substring(1, addressText.length() - 1);
        }
        try {
            if (IPV4.matcher(addressText).matches()) {
                for (String octet : addressText.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        throw new NumberFormatException("octet " + octet + " is over 255");
                    }
                }
            }
            // Only literals reach here (valid dotted quads, or text with a colon, which the JDK parses as
            // IPv6 or rejects), so this never queries DNS.
            InetAddress address = InetAddress.getByName(addressText);
            int bits = address.getAddress().length * 8;
            int prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
            if (prefix < 0 || prefix > bits) {
                throw new NumberFormatException("prefix " + prefix + " is not 0.." + bits);
            }
            return new Block(address.getAddress(), prefix, name);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("--allow-private-host entry \"" + cidr + "\" is not a host name, an IP"
                    + " address or a CIDR block such as 10.0.0.0/8 or fd00::/8", e);
        }
    }

    /** An address range: the first {@code prefix} bits of {@code network}. */
    private record Block(byte[] network, int prefix, String name) {
        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
