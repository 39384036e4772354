package dev.gearfarm.images.worker;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: our gearmand (gearmand.jar) and the image-worker (image-worker.jar) as real processes, each
 * with its output in a file. The idea of the it package's Proc, kept here so these tests stand alone.
 */
final class Processes implements AutoCloseable {
    final Process process;
    final Path log;

    private Processes(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Processes start(List<String> command, Map<String, String> env) throws IOException {
        Path log = Files.createTempFile("image-worker-test-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The tests decide the worker's settings: nothing from the environment that runs them.
        builder.environment().keySet().removeIf(name -> name.startsWith("IMAGE_WORKER_") || name.startsWith("AWS_"));
        builder.environment().putAll(env);
        return new Processes(builder.start(), log);
    }

    /** Our gearmand on a free loopback port; returns once it answers {@code version}. */
    static Processes gearmand(int port) throws Exception {
        Processes server = start(List.of(java(), "-Xmx128m", "-cp", jar("gearmand.jar",
                "../gearmand/target/gearmand.jar").toString(), "dev.gearfarm.gearmand.Gearmand", "-p",
                String.valueOf(port), "-L", "127.0.0.1"), Map.of());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!server.process.isAlive()) {
                throw new IllegalStateException("gearmand exited: " + server.output());
            }
            try {
                if (admin(port, "version").startsWith("OK")) {
                    return server;
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        server.close();
        throw new IllegalStateException("gearmand did not start within 30 s: " + server.output());
    }

    /** An image-worker process ({@code java -jar image-worker.jar}, as the containers run it). */
    static Processes imageWorker(List<String> flags, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar",
                jar("image.worker.jar", "target/image-worker.jar").toString()));
        command.addAll(flags);
        return start(command, env);
    }

    /** Asks {@code function}'s worker count from the server until it is at least {@code workers}. */
    static void awaitWorkers(int port, String function, int workers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String status = "";
        while (System.nanoTime() < deadline) {
            status = admin(port, "status");
            for (String line : status.split("\n")) {
                String[] f = line.split("\t");
                if (f.length == 4 && f[0].equals(function) && Integer.parseInt(f[3]) >= workers) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(workers + " workers for " + function + " did not register in 30 s: " + status);
    }

    private static Path jar(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -pl gearmand,image-workers -am"
                    + " package -DskipTests (failsafe's verify packages image-worker.jar first)");
        }
        return jar;
    }

    private static String admin(int port, String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            boolean list = command.equals("status");
            int b;
            while ((b = in.read()) >= 0) {
                reply.append((char) b);
                String text = reply.toString();
                if (list ? text.equals(".\n") || text.endsWith("\n.\n") : text.endsWith("\n")) {
                    break;
                }
            }
            return reply.toString();
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** SIGTERM, then waits (up to 30 s) for the exit; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
        Files.deleteIfExists(log);
    }
}
