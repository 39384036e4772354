package dev.gearfarm.gearman.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One binary Gearman packet: magic, type and its NUL-separated arguments as raw bytes.
 *
 * <p>Arguments are byte arrays because a queued job must not pin a pooled network buffer; the decoder
 * copies each argument once and the encoder wraps them without copying. Handles, function names and
 * unique ids are converted with ISO-8859-1, which maps every byte to one char and back losslessly.
 */
public record Packet(Magic magic, PacketType type, List<byte[]> args) {

    private static final byte[] EMPTY = new byte[0];

    public Packet {
        if (magic == null || type == null || args == null) {
            throw new IllegalArgumentException("magic, type and args are required");
        }
        if (args.size() != type.argCount()) {
            throw new IllegalArgumentException(
                    type + " takes " + type.argCount() + " arguments, got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null) {
                throw new IllegalArgumentException(type + " argument " + i + " is null");
            }
        }
        // No copy when the list is already immutable (the decoder's and the factories' lists are).
        args = List.copyOf(args);
    }

    /** A request packet; each argument is a {@code byte[]} or a {@link CharSequence} (ISO-8859-1). */
    public static Packet request(PacketType type, Object... args) {
        return new Packet(Magic.REQ, type, toBytes(args));
    }

    /** A response packet; each argument is a {@code byte[]} or a {@link CharSequence} (ISO-8859-1). */
    public static Packet response(PacketType type, Object... args) {
        return new Packet(Magic.RES, type, toBytes(args));
    }

    /** The raw bytes of argument {@code index}. */
    public byte[] arg(int index) {
        return args.get(index);
    }

    /** Argument {@code index} as an ISO-8859-1 string (lossless for any bytes). */
    public String argString(int index) {
        return latin1(args.get(index));
    }

    /** Total body length on the wire: the arguments plus one NUL between each pair. */
    public int bodyLength() {
        int length = Math.max(0, args.size() - 1);
        for (byte[] arg : args) {
            length += arg.length;
        }
        return length;
    }

    /** Bytes of a string, one per char (ISO-8859-1). */
    public static byte[] latin1(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A string of bytes, one char per byte (ISO-8859-1). */
    public static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static List<byte[]> toBytes(Object[] args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof byte[] bytes) {
                out[i] = bytes;
            } else if (arg instanceof CharSequence text) {
                out[i] = text.length() == 0 ? EMPTY : latin1(text);
            } else {
                throw new IllegalArgumentException("argument " + i + " must be byte[] or CharSequence: " + arg);
            }
        }
        return List.of(out);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Packet that) || magic != that.magic || type != that.type) {
            return false;
        }
        for (int i = 0; i < args.size(); i++) {
            if (!Arrays.equals(args.get(i), that.args.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = magic.hashCode() * 31 + type.hashCode();
        for (byte[] arg : args) {
            hash = hash * 31 + Arrays.hashCode(arg);
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(magic).append(' ').append(type);
        for (byte[] arg : args) {
            text.append(" \"");
            int shown = Math.min(arg.length, 64);
            for (int i = 0; i < shown; i++) {
                int b = arg[i] & 0xff;
                if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                    text.append((char) b);
                } else {
                    text.append(String.format("\\x%02x", b));
                }
            }
            if (shown < arg.length) {
                text.append("...(").append(arg.length).append(" bytes)");
            }
            text.append('"');
        }
        return text.toString();
    }
}
