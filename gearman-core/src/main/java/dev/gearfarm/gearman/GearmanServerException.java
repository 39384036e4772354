package dev.gearfarm.gearman;

/**
 * A server answered a request with an {@code ERROR} packet, for example {@code QUEUE_ERROR} when the
 * function's queue is at its {@code maxqueue} limit. The connection stays usable.
 */
public class GearmanServerException extends GearmanException {
    private static final long serialVersionUID = 1L;

    private final String server;
    private final String code;
    private final String text;

    public GearmanServerException(String server, String code, String text, String request) {
        super(server + " refused " + request + ": " + code + (text.isEmpty() ? "" : " (" + text + ")"));
        this.server = server;
        this.code = code;
        this.text = text;
    }

    /** The server as {@code host:port}. */
    public String server() {
        return server;
    }

    /** The error code, such as {@code QUEUE_ERROR}. */
    public String code() {
        return code;
    }

    /** The server's explanation, such as {@code Job queue is full}; may be empty. */
    public String text() {
        return text;
    }
}
