package dev.gearfarm.gearman.protocol;

/** The 4-byte magic that opens every binary packet: requests go to the server, responses come from it. */
public enum Magic {
    /** {@code \0REQ}: client or worker to server. */
    REQ(0x00524551),
    /** {@code \0RES}: server to client or worker. */
    RES(0x00524553);

    private final int code;

    Magic(int code) {
        this.code = code;
    }

    /** The magic as the big-endian int read from the wire. */
    public int code() {
        return code;
    }

    /** The magic for a wire value, or null when it is neither. */
    public static Magic fromCode(int code) {
        if (code == REQ.code) {
            return REQ;
        }
        if (code == RES.code) {
            return RES;
        }
        return null;
    }
}
