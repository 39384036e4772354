package dev.gearfarm.gearman;

/**
 * A job server could not be reached, or the connection to it was lost before the request was answered.
 * The message names the server; {@link #server()} gives it as {@code host:port}.
 */
public class GearmanConnectionException extends GearmanException {
    private static final long serialVersionUID = 1L;

    private final String server;

    public GearmanConnectionException(String server, String message) {
        super(message);
        this.server = server;
    }

    public GearmanConnectionException(String server, String message, Throwable cause) {
        super(message, cause);
        this.server = server;
    }

    /** The server as {@code host:port}. */
    public String server() {
        return server;
    }
}
