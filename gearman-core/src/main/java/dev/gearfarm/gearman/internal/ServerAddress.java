package dev.gearfarm.gearman.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A job server's host and port, written {@code host:port} everywhere a person reads it.
 *
 * @param host a host name or IP address; IPv6 literals are written in brackets, {@code [::1]:4730}
 * @param port 1-65535
 */
public record ServerAddress(String host, int port) {

    /** Gearman's IANA port. */
    public static final int DEFAULT_PORT = 4730;

    public ServerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("server host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("server port must be 1-65535: " + port);
        }
    }

    /**
     * A client's or worker's server list, each entry parsed and written back as {@code host:port}.
     *
     * @throws IllegalArgumentException when the list is empty, an entry is malformed or one is listed twice
     */
    public static List<String> normalize(List<String> servers, String example) {
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server is required, such as " + example);
        }
        List<String> normalized = new ArrayList<>(servers.size());
        for (String server : servers) {
            String address = parse(server).toString();
            if (normalized.contains(address)) {
                throw new IllegalArgumentException("server " + address + " is listed twice");
            }
            normalized.add(address);
        }
        return List.copyOf(normalized);
    }

    /** Parses {@code host}, {@code host:port} or {@code [v6]:port}; the port defaults to 4730. */
    public static ServerAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("server address is empty; expected host:port");
        }
        String trimmed = text.trim();
        String host = trimmed;
        String port = null;
        if (trimmed.startsWith("[")) {
            int close = trimmed.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("server address " + text + " has no closing ']'");
            }
            host = trimmed.substring(1, close);
            if (close + 1 < trimmed.length()) {
                if (trimmed.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("server address " + text + ": expected ':' after ']'");
                }
                port = trimmed.substring(close + 2);
            }
        } else {
            int colon = trimmed.lastIndexOf(':');
            if (colon >= 0 && trimmed.indexOf(':') == colon) {
                host = trimmed.substring(0, colon);
                port = trimmed.substring(colon + 1);
            }
        }
        if (port == null) {
            return new ServerAddress(host, DEFAULT_PORT);
        }
        try {
            return new ServerAddress(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("server address " + text + " has a bad port '" + port
                    + "'; expected host:port such as localhost:4730");
        }
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
