package dev.gearfarm.images.testsupport;

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
 * Real processes for the end-to-end tests: our job server (gearmand.jar) and image workers
 * (image-worker.jar), each logging to a file. The idea of gearmand's it.ServerProcess, kept in this
 * module rather than shared across test jars.
 */
public final class Proc implements AutoCloseable {
    public final Process process;
    public final Path log;

    private Proc(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static Proc start(List<String> command) throws IOException {
        return start(command, Map.of());
    }

    /** Runs {@code command} with {@code env} added; the worker's own variables from the test's environment are dropped. */
    public static Proc start(List<String> command, Map<String, String> env) throws IOException {
        Path log = Files.createTempFile("image-it-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The tests decide the worker's settings: nothing from the environment that runs them.
        builder.environment().keySet().removeIf(name -> name.startsWith("IMAGE_WORKER_") || name.startsWith("AWS_"));
        builder.environment().putAll(env);
        return new Proc(builder.start(), log);
    }

    /** Our gearmand on a free loopback port; returns once it answers {@code version}. */
    public static Proc gearmand(int port) throws Exception {
        Path jar = jar("gearmand.jar", "../gearmand/target/gearmand.jar");
        Proc server = start(List.of(java(), "-cp", jar.toString(), "dev.gearfarm.gearmand.Gearmand", "-p",
                String.valueOf(port), "-L", "127.0.0.1"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
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
        throw new IllegalStateException("gearmand did not start within 20 s: " + server.output());
    }

    /** An image-worker process with the given flags (after {@code --server}) and a 512 MB heap. */
    public static Proc imageWorker(int port, String... flags) throws IOException {
        return imageWorker("512m", port, flags);
    }

    /** An image-worker process with the given heap ({@code -Xmx}) and flags. */
    public static Proc imageWorker(String heap, int port, String... flags) throws IOException {
        Path jar = jar("image.worker.jar", "target/image-worker.jar");
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-cp", jar.toString(),
                "dev.gearfarm.images.worker.ImageWorkerMain", "--server", "127.0.0.1:" + port));
        command.addAll(List.of(flags));
        return start(command);
    }

    /** An image-worker run as the containers run it ({@code java -jar image-worker.jar FLAGS}), with {@code env}. */
    public static Proc imageWorkerJar(List<String> flags, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar",
                jar("image.worker.jar", "target/image-worker.jar").toString()));
        command.addAll(flags);
        return start(command, env);
    }

    private static Path jar(String property, String fallback) {
        Path jar = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with"
                    + " mvn -pl image-workers -am verify, which packages it first");
        }
        return jar;
    }

    /** One admin command's reply: a line, or the lines up to {@code .} for lists. */
    public static String admin(int port, String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            boolean list = command.equals("status") || command.equals("workers");
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

    /** Waits until {@code function} has {@code workers} registered workers on the server. */
    public static void awaitWorkers(int port, String function, int workers) throws Exception {
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

    public String output() throws IOException {
        return Files.readString(log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** SIGTERM, then waits (up to 30 s, then SIGKILL) for the exit; returns the exit code. */
    public int stop() throws InterruptedException {
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
