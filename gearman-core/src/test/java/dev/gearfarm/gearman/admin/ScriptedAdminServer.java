package dev.gearfarm.gearman.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake job server on a loopback port that answers admin commands from a script with exact bytes, such as
 * C gearmand's. Commands not in the script get C's {@code ERR UNKNOWN_COMMAND} reply.
 *
 * <p>{@link #close()} fails the test when a connection is still open: every {@link GearmanAdmin} must
 * close its socket, whether the test closed it or it gave up after a failure.
 */
final class ScriptedAdminServer implements AutoCloseable {

    /** What the server does when it receives one command. */
    interface Reply {
        void send(Socket socket, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket listener;
    private final Map<String, Reply> script = new ConcurrentHashMap<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Thread> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private ScriptedAdminServer() throws IOException {
        listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "scripted-admin-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static ScriptedAdminServer start() throws IOException {
        return new ScriptedAdminServer();
    }

    /** Answers {@code command} (the line without its ending) with {@code reply}, bytes as ISO-8859-1. */
    ScriptedAdminServer on(String command, String reply) {
        return on(command, (socket, out) -> out.write(reply.getBytes(StandardCharsets.ISO_8859_1)));
    }

    ScriptedAdminServer on(String command, Reply reply) {
        script.put(command, reply);
        return this;
    }

    /** Never answers {@code command}. */
    ScriptedAdminServer silentOn(String command) {
        return on(command, (socket, out) -> { });
    }

    /** Sends the reply one byte every {@code delayMillis}. */
    ScriptedAdminServer trickle(String command, String reply, long delayMillis) {
        return on(command, (socket, out) -> {
            for (byte b : reply.getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
                Thread.sleep(delayMillis);
            }
        });
    }

    /** Sends {@code partial} and closes the connection. */
    ScriptedAdminServer closeAfter(String command, String partial) {
        return on(command, (socket, out) -> {
            out.write(partial.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.close();
        });
    }

    AdminOptions.Builder options() {
        return AdminOptions.builder().host("127.0.0.1").port(listener.getLocalPort());
    }

    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Every command line received, with its line ending, in order. */
    List<String> received() {
        return List.copyOf(received);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread connection = new Thread(() -> serve(socket), "scripted-admin-conn");
                connection.setDaemon(true);
                connections.add(connection);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b != '\n') {
                    continue;
                }
                String raw = line.toString(StandardCharsets.ISO_8859_1);
                line.reset();
                received.add(raw);
                String command = raw.endsWith("\r\n") ? raw.substring(0, raw.length() - 2)
                        : raw.substring(0, raw.length() - 1);
                Reply reply = script.getOrDefault(command, (s, o) -> o.write(("ERR UNKNOWN_COMMAND "
                        + "Unknown+server+command" + command.split(" ")[0] + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
                reply.send(socket, out);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // The connection ended (often on purpose: a scripted close); nothing more to serve.
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        acceptor.join(2000);
        for (Thread connection : connections) {
            connection.join(2000);
            if (connection.isAlive()) {
                throw new AssertionError("a GearmanAdmin left its connection to " + address() + " open");
            }
        }
    }
}
