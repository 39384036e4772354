package dev.gearfarm.gearmand.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.protocol.Magic;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketDecoder;
import dev.gearfarm.gearman.protocol.PacketEncoder;
import dev.gearfarm.gearman.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A blocking Gearman peer on a plain socket, to drive a server byte by byte.
 *
 * <p>It plays client, worker or admin: it sends requests and raw bytes, and reads responses by parsing
 * the 12-byte header itself. Every read has a deadline ({@link #TIMEOUT_MILLIS} unless given), so a server
 * that never answers fails the test instead of hanging it.
 */
final class WireClient implements AutoCloseable {

    /** How long a read waits for a reply that should come. */
    static final int TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to a server on loopback. */
    static WireClient connect(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            return new WireClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to the test server on port " + port, e);
        }
    }

    // ---- sending

    /** Sends one request packet; each argument is a String (ISO-8859-1) or byte[]. */
    WireClient send(PacketType type, Object... args) {
        return send(Packet.request(type, args));
    }

    /** Sends packets in one write, as a pipelining client would. */
    WireClient send(Packet... packets) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            for (Packet packet : packets) {
                PacketEncoder.encode(packet, buffer);
            }
            return write(ByteBufUtil.getBytes(buffer));
        } finally {
            buffer.release();
        }
    }

    /** Sends bytes exactly as given. */
    WireClient write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends text (ISO-8859-1) exactly as given; add the line ending yourself. */
    WireClient writeText(String text) {
        return write(Packet.latin1(text));
    }

    // ---- receiving

    /** Reads the next packet, which must arrive within the timeout and carry {@code \0RES}. */
    Packet read() {
        byte[] frame = readRaw();
        ByteBuffer header = ByteBuffer.wrap(frame, 0, PacketDecoder.HEADER_LENGTH);
        int magic = header.getInt();
        int code = header.getInt();
        assertThat(Magic.fromCode(magic)).as("magic of %s", describe(frame, frame.length)).isEqualTo(Magic.RES);
        PacketType type = PacketType.fromCode(code);
        assertThat(type).as("type code %d from the server", code).isNotNull();
        return parse(type, Arrays.copyOfRange(frame, PacketDecoder.HEADER_LENGTH, frame.length));
    }

    /** Reads the next packet and checks its type. */
    Packet expect(PacketType type) {
        Packet packet = read();
        assertThat(packet.type()).as("type of %s", packet).isEqualTo(type);
        return packet;
    }

    /** Reads the next packet and checks it equals {@code RES type args} byte for byte. */
    Packet expect(PacketType type, Object... args) {
        Packet packet = read();
        assertThat(packet).isEqualTo(Packet.response(type, args));
        return packet;
    }

    /** Reads the next packet's exact bytes, header included (for layout checks). */
    byte[] readRaw() {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
        byte[] header = readBytes(PacketDecoder.HEADER_LENGTH, deadline);
        int length = ByteBuffer.wrap(header, 8, 4).getInt();
        assertThat(length).as("body length in header %s", describe(header, header.length))
                .isBetween(0, 64 * 1024 * 1024);
        byte[] body = readBytes(length, deadline);
        byte[] all = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, all, header.length, body.length);
        return all;
    }

    /** Reads the next packet and checks its exact bytes, header included. */
    void expectRaw(byte[] expected) {
        assertThat(escape(readRaw(), Integer.MAX_VALUE)).isEqualTo(escape(expected, Integer.MAX_VALUE));
    }

    /**
     * Asserts that the server has nothing queued for this connection: an ECHO round trip comes back
     * first. Sound once the server has handled whatever could have caused an unwanted packet, which is the
     * case when that event's own reply has been read; for what a timer may send, use
     * {@link #expectNothing(int)}.
     */
    void expectNothingQueued() {
        sync();
    }

    /** Asserts that nothing arrives for {@code millis}. */
    void expectNothing(int millis) {
        try {
            socket.setSoTimeout(millis);
            int first = in.read();
            if (first < 0) {
                throw new AssertionError("expected silence but the server closed the connection");
            }
            byte[] rest = new byte[in.available()];
            int n = in.read(rest);
            throw new AssertionError("expected silence but got " + describe(first, rest, Math.max(0, n)));
        } catch (SocketTimeoutException expected) {
            // silence
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one text line and returns it with its line ending. */
    String readLine() {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        do {
            b = readBytes(1, deadline)[0];
            line.write(b);
        } while (b != '\n');
        return Packet.latin1(line.toByteArray());
    }

    /** Reads text lines up to and including the {@code .\n} that ends an admin list. */
    String readList() {
        StringBuilder text = new StringBuilder();
        String line;
        do {
            line = readLine();
            text.append(line);
        } while (!line.equals(".\n"));
        return text.toString();
    }

    /**
     * Waits for the server to close the connection (end of stream or reset) and returns any bytes that
     * arrived before it.
     */
    byte[] awaitClose() {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            while (true) {
                socket.setSoTimeout(remainingMillis(deadline, "the server to close the connection"));
                int n = in.read(chunk);
                if (n < 0) {
                    return seen.toByteArray();
                }
                seen.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + TIMEOUT_MILLIS + " ms");
        } catch (SocketException e) {
            return seen.toByteArray(); // reset: closed with our unread bytes in its buffer
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- conveniences for the common exchanges

    /** Submits a job and returns the handle from JOB_CREATED. */
    String submit(PacketType type, String function, String unique, String data) {
        send(type, function, unique, data);
        return expect(PacketType.JOB_CREATED).argString(0);
    }

    /** Sends GRAB_JOB and returns the JOB_ASSIGN it must get. */
    Packet grab() {
        send(PacketType.GRAB_JOB);
        return expect(PacketType.JOB_ASSIGN);
    }

    /** Sends GRAB_JOB and checks the JOB_ASSIGN byte for byte. */
    void grab(String handle, String function, String data) {
        send(PacketType.GRAB_JOB);
        expect(PacketType.JOB_ASSIGN, handle, function, data);
    }

    /** Sends GRAB_JOB and checks that there is nothing to do. */
    void grabNothing() {
        send(PacketType.GRAB_JOB);
        expect(PacketType.NO_JOB);
    }

    /** Registers functions and waits until the server has seen them. */
    WireClient canDo(String... functions) {
        for (String function : functions) {
            send(PacketType.CAN_DO, function);
        }
        return sync();
    }

    /**
     * Round-trips an ECHO so every packet sent before has been handled: for requests that get no reply
     * (CAN_DO, PRE_SLEEP, SET_CLIENT_ID...). Fails if anything else arrives first.
     */
    WireClient sync() {
        send(PacketType.ECHO_REQ, "sync");
        expect(PacketType.ECHO_RES, "sync");
        return this;
    }

    /** Sends an admin command and returns the one-line reply with its line ending. */
    String admin(String command) {
        writeText(command + "\n");
        return readLine();
    }

    /** Sends an admin command whose reply is a list ending in {@code .\n} and returns all of it. */
    String adminList(String command) {
        writeText(command + "\n");
        return readList();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket
        }
    }

    // ---- internals

    private byte[] readBytes(int count, long deadline) {
        byte[] bytes = new byte[count];
        int filled = 0;
        try {
            while (filled < count) {
                socket.setSoTimeout(remainingMillis(deadline, count + " bytes (got " + filled + ")"));
                int n = in.read(bytes, filled, count - filled);
                if (n < 0) {
                    throw new AssertionError("the server closed the connection; expected " + count
                            + " bytes, got " + describe(bytes, filled));
                }
                filled += n;
            }
            return bytes;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no reply within " + TIMEOUT_MILLIS + " ms: expected " + count
                    + " bytes, got " + describe(bytes, filled));
        } catch (IOException e) {
            throw new UncheckedIOException("reading from the server after " + describe(bytes, filled), e);
        }
    }

    private static int remainingMillis(long deadline, String waitingFor) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new AssertionError("timed out waiting for " + waitingFor);
        }
        return (int) left;
    }

    private static Packet parse(PacketType type, byte[] body) {
        List<byte[]> args = new ArrayList<>(type.argCount());
        int position = 0;
        for (int i = 0; i < type.argCount() - 1; i++) {
            int nul = indexOf(body, position);
            if (nul < 0) {
                throw new AssertionError(type + " needs " + type.argCount() + " arguments; body was "
                        + describe(body, body.length));
            }
            args.add(Arrays.copyOfRange(body, position, nul));
            position = nul + 1;
        }
        if (type.argCount() > 0) {
            args.add(Arrays.copyOfRange(body, position, body.length));
        } else {
            assertThat(body).as("body of %s", type).isEmpty();
        }
        return new Packet(Magic.RES, type, args);
    }

    private static int indexOf(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(int first, byte[] rest, int restLength) {
        byte[] all = new byte[restLength + 1];
        all[0] = (byte) first;
        System.arraycopy(rest, 0, all, 1, restLength);
        return describe(all, all.length);
    }

    private static String describe(byte[] bytes, int length) {
        return "\"" + escape(Arrays.copyOf(bytes, Math.min(length, 200)), 200) + (length > 200 ? "...\"" : "\"");
    }

    /** Printable ASCII as is, every other byte as {@code \xNN}. */
    static String escape(byte[] bytes, int limit) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, limit); i++) {
            int b = bytes[i] & 0xff;
            text.append(b >= 0x20 && b < 0x7f && b != '\\' ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return text.toString();
    }
}
