package dev.gearfarm.gearman.protocol;

/**
 * Upper bounds the decoder enforces on input it has not yet validated.
 *
 * @param maxPacketSize  largest accepted binary packet body, in bytes
 * @param maxLineLength  largest accepted text admin line, in bytes, line ending excluded
 */
public record ProtocolLimits(int maxPacketSize, int maxLineLength) {

    /** Default cap on a packet body: 64 MiB, room for large inline images. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 64 * 1024 * 1024;
    /** Default cap on an admin line: 8 KiB, the C server's receive buffer. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 8192;
    /** Largest line limit accepted: a text command is short, and the limit bounds what a line may buffer. */
    public static final int MAX_LINE_LENGTH_CAP = 1024 * 1024;
    /** The defaults. */
    public static final ProtocolLimits DEFAULT = new ProtocolLimits(DEFAULT_MAX_PACKET_SIZE, DEFAULT_MAX_LINE_LENGTH);

    public ProtocolLimits {
        if (maxPacketSize < 1) {
            throw new IllegalArgumentException("maxPacketSize must be positive: " + maxPacketSize);
        }
        if (maxLineLength < 16 || maxLineLength > MAX_LINE_LENGTH_CAP) {
            throw new IllegalArgumentException(
                    "maxLineLength must be 16-" + MAX_LINE_LENGTH_CAP + ": " + maxLineLength);
        }
    }
}
