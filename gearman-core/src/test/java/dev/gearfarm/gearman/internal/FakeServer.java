package dev.gearfarm.gearman.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.protocol.Magic;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketEncoder;
import dev.gearfarm.gearman.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted job server for client and worker tests: the test accepts each connection, reads the packets the peer sent
 * and writes the replies it chooses, byte for byte. Every blocking call gives up after
 * {@link #TIMEOUT_MILLIS}, so a test that expects a packet that never comes fails instead of hanging.
 */
public final class FakeServer implements AutoCloseable {
    public static final int TIMEOUT_MILLIS = 5000;

    private final ServerSocket socket;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    private FakeServer(ServerSocket socket) {
        this.socket = socket;
    }

    /** Listens on a free loopback port. */
    public static FakeServer start() {
        try {
            ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return new FakeServer(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** The next connection. */
    public Connection accept() {
        try {
            Socket accepted = socket.accept();
            accepted.setSoTimeout(TIMEOUT_MILLIS);
            accepted.setTcpNoDelay(true);
            Connection connection = new Connection(accepted);
            connections.add(connection);
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException("no connection within " + TIMEOUT_MILLIS + " ms", e);
        }
    }

    /** The next connection, after answering the client's {@code OPTION_REQ exceptions}. */
    public Connection acceptClient() {
        Connection connection = accept();
        connection.expect(PacketType.OPTION_REQ, "exceptions");
        connection.reply(PacketType.OPTION_RES, "exceptions");
        return connection;
    }

    /** A port where nothing listens (bound, then closed). */
    public static String deadAddress() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        connections.forEach(Connection::close);
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a test socket cannot fail in a way the test cares about.
        }
    }

    /** One accepted connection. */
    public static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            // Buffered so that quietFor can look at the next byte and put it back.
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        }

        /** The next packet the client sent. */
        public Packet read() {
            try {
                int magic = in.readInt();
                PacketType type = PacketType.fromCode(in.readInt());
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                assertThat(type).as("packet type").isNotNull();
                return new Packet(Magic.fromCode(magic), type, split(body, type.argCount()));
            } catch (IOException e) {
                throw new UncheckedIOException("no packet within " + TIMEOUT_MILLIS + " ms", e);
            }
        }

        /** Reads the next packet and checks its type and arguments (ISO-8859-1 text). */
        public Packet expect(PacketType type, String... args) {
            Packet packet = read();
            assertThat(packet).isEqualTo(Packet.request(type, (Object[]) args));
            return packet;
        }

        /** Writes response packets in one TCP write, as a server answering a pipelined batch does. */
        public void reply(Packet... packets) {
            ByteBuf buffer = Unpooled.buffer();
            try {
                for (Packet packet : packets) {
                    PacketEncoder.encode(packet, buffer);
                }
                byte[] bytes = new byte[buffer.readableBytes()];
                buffer.readBytes(bytes);
                writeRaw(bytes);
            } finally {
                buffer.release();
            }
        }

        /** Writes one response packet with text arguments. */
        public void reply(PacketType type, String... args) {
            reply(Packet.response(type, (Object[]) args));
        }

        /** Writes bytes as they are. */
        public void writeRaw(byte[] bytes) {
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Whether the client sent nothing for {@code millis} (what it did send is left to read). */
        public boolean quietFor(int millis) {
            try {
                socket.setSoTimeout(millis);
                in.mark(1);
                if (in.read() < 0) {
                    return false;
                }
                in.reset();
                return false;
            } catch (SocketTimeoutException e) {
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                try {
                    socket.setSoTimeout(TIMEOUT_MILLIS);
                } catch (IOException ignored) {
                    // The next read reports a broken socket.
                }
            }
        }

        /** Whether the client closed the connection (waits for it up to the timeout). */
        public boolean closedByClient() {
            try {
                return in.read() < 0;
            } catch (EOFException | java.net.SocketException e) {
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // As above.
            }
        }

        private static List<byte[]> split(byte[] body, int count) {
            List<byte[]> args = new ArrayList<>(count);
            if (count == 0) {
                return args;
            }
            int start = 0;
            for (int i = 0; i < count - 1; i++) {
                int nul = start;
                while (nul < body.length && body[nul] != 0) {
                    nul++;
                }
                args.add(Arrays.copyOfRange(body, start, nul));
                start = Math.min(body.length, nul + 1);
            }
            args.add(Arrays.copyOfRange(body, start, body.length));
            return args;
        }
    }
}
