package dev.gearfarm.gearmand.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A job server running as a real process on a free loopback port: ours (the built jar) or C gearmand. */
final class ServerProcess implements AutoCloseable {
    final int port;
    final Process process;
    final Path log;

    private ServerProcess(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Our server from {@code gearmand/target/gearmand.jar} (built by {@code mvn package} before {@code verify}). */
    static ServerProcess ours(String... extraArgs) throws Exception {
        return ours(freePort(), extraArgs);
    }

    /** Our server on a given port, for a restart on the port the clients know. */
    static ServerProcess ours(int port, String... extraArgs) throws Exception {
        Path jar = Path.of("target", "gearmand.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with mvn verify");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", jar.toString(),
                "dev.gearfarm.gearmand.Gearmand", "-p", String.valueOf(port), "-L", "127.0.0.1",
                "--verbose", "INFO"));
        command.addAll(List.of(extraArgs));
        return start(command, port);
    }

    /** Debian's C gearmand, for side-by-side comparisons. */
    static ServerProcess cGearmand(String... extraArgs) throws Exception {
        String binary = Peers.require("/usr/sbin/gearmand", "comparing against the C server");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(binary, "-p", String.valueOf(port), "-L", "127.0.0.1",
                "-t", "2", "--log-file", "stderr", "--verbose", "INFO"));
        command.addAll(List.of(extraArgs));
        return start(command, port);
    }

    private static ServerProcess start(List<String> command, int port) throws Exception {
        Path log = Files.createTempFile("gearmand-it-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(port, process, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try {
                if (server.admin("version").startsWith("OK")) {
                    return server;
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        server.close();
        throw new IllegalStateException("server did not answer 'version' within 20 s: " + Files.readString(log));
    }

    /** Sends one admin command and returns the reply up to its end (a {@code .} line for lists). */
    String admin(String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            boolean list = isList(command);
            int b;
            while ((b = in.read()) >= 0) {
                reply.append((char) b);
                String text = reply.toString();
                if (list ? text.equals(".\n") || text.endsWith("\n.\n") || text.startsWith("ERR") && text.endsWith("\n")
                        : text.endsWith("\n")) {
                    break;
                }
            }
            return reply.toString();
        }
    }

    private static boolean isList(String command) {
        String lower = command.toLowerCase();
        return lower.equals("status") || lower.equals("workers") || lower.equals("prioritystatus")
                || lower.startsWith("show");
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: the process gets no chance to flush or clean up. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
