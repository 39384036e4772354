package dev.gearfarm.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.deploy.Network.Host;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The farm across several machines, each a Linux network namespace on one bridge (issue 6): two job
 * server hosts, two worker hosts, a client host and an S3 host (s3proxy). Real processes throughout: our
 * gearmand, image-worker and {@code thumbnail} fat jars and s3proxy; the client host runs
 * {@code thumbnail batch s3://images/ --out s3://thumbs/...} as a user would.
 *
 * <ol>
 *   <li>One gearmand, workers on both worker hosts: a batch runs and both hosts do work. Mid-run one
 *       worker host's link goes down; gearmand notices through TCP keepalive (1 s idle, 1 s interval, 2
 *       probes), gives that host's jobs to the other one, and the batch completes. The time from the cut
 *       to gearmand dropping the host is measured and printed.</li>
 *   <li>A second gearmand joins; the workers restart with both servers, the client spreads jobs over
 *       both, and both servers' jobs run on both hosts.</li>
 *   <li>The first gearmand is stopped mid-batch; the client's jobs move to the second and the batch
 *       completes.</li>
 * </ol>
 *
 * Every thumbnail is read back from the S3 store and decoded. The figures are appended to
 * {@code deploy/target/several-machines/figures.txt}; a failed run leaves its logs, report and store in
 * {@code deploy/target/several-machines/run-<pid>/}.
 */
class SeveralMachinesIT {
    private static final int GEARMAN_PORT = 4730;
    private static final int S3_PORT = 8080;
    private static final String ACCESS_KEY = "gearfarm-it-access";
    private static final String SECRET_KEY = "gearfarm-it-secret-key";
    private static final int BOX = 256;
    private static final Duration BATCH_DEADLINE = Duration.ofMinutes(5);
    private static final Pattern WORKER_LINE = Pattern.compile("job=(gm\\d):\\S+ .*result=ok");

    private final Path javaBinary = Path.of(Repo.java());
    private Path gearmandJar;
    private Path workerJar;
    private Path thumbnailJar;
    private Path s3proxyJar;
    private String gearadmin;
    private Network network;
    private Host gm1;
    private Host gm2;
    private Host w1;
    private Host w2;
    private Host client;
    private Host s3;
    private Path store;

    @Test
    void aBatchSpreadsOverWorkerHostsSurvivesALostHostAndMovesBetweenJobServers() throws Exception {
        gearmandJar = requireFile(Repo.ROOT.resolve("gearmand/target/gearmand.jar"));
        workerJar = requireFile(Repo.ROOT.resolve("image-workers/target/image-worker.jar"));
        thumbnailJar = requireFile(Repo.ROOT.resolve("thumbnail-client/target/thumbnail.jar"));
        s3proxyJar = requireFile(s3proxyJar());
        gearadmin = Peers.require("gearadmin", "asking the job servers who is connected (package gearman-tools)");
        Path logs = Path.of("target", "several-machines").toAbsolutePath();
        Path run = logs.resolve("run-" + ProcessHandle.current().pid());
        try (Network net = Network.create(run)) {
            network = net;
            gm1 = net.addHost("gm1", 1);
            gm2 = net.addHost("gm2", 2);
            w1 = net.addHost("w1", 11);
            w2 = net.addHost("w2", 12);
            client = net.addHost("cl", 21);
            s3 = net.addHost("s3", 31);
            store = Files.createDirectories(run.resolve("s3-store"));
            List<String> images = makeImages(store.resolve("images"), 40);
            Files.createDirectories(store.resolve("thumbs"));
            startS3();

            // 1. One job server; a batch over both worker hosts; one host cut off mid-run.
            Process gearmand1 = startGearmand(gm1);
            List<Process> workers = List.of(startWorker(w1, "w1-a", gm1), startWorker(w2, "w2-a", gm1));
            awaitWorkers(gm1, 2);
            // Watched while the batch runs: the seconds from the cut until gm1 lists no connection from w1.
            List<CompletableFuture<Double>> detection = new ArrayList<>();
            long start = System.nanoTime();
            Batch batchA = runBatch(images, "a", List.of(gm1), completed -> {
                if (completed == images.size() / 4) {
                    try {
                        network.cut(w1);
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    long cutAt = System.nanoTime();
                    detection.add(CompletableFuture.supplyAsync(() -> awaitHostGone(gm1, w1, cutAt)));
                }
            });
            double batchSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(detection).as("w1 was cut during the batch").hasSize(1);
            double detected = detection.get(0).get(70, TimeUnit.SECONDS);
            assertThat(batchA.exitCode()).as("thumbnail batch exit code; report: " + batchA.report()).isZero();
            assertThumbnails("a", images);
            Map<String, Integer> perHostA = Map.of("w1", okLines("w1-a", null), "w2", okLines("w2-a", null));
            assertThat(perHostA.get("w1")).as("jobs done on w1 before the cut").isPositive();
            assertThat(perHostA.get("w2")).as("jobs done on w2").isPositive();
            report(String.format("phase 1: %d thumbnails in %.1f s; per worker host %s; w1 cut after %d done;"
                            + " gearmand dropped w1's connections %.1f s after the cut (keepalive 1 s + 2 x 1 s)",
                    images.size(), batchSeconds, perHostA, images.size() / 4, detected));

            // 2. A second job server joins: workers restart serving both, the client spreads over both.
            network.restore(w1);
            Process gearmand2 = startGearmand(gm2);
            for (Process worker : workers) {
                Network.stop(worker, 30);
            }
            startWorker(w1, "w1-b", gm1, gm2);
            startWorker(w2, "w2-b", gm1, gm2);
            awaitWorkers(gm1, 2);
            awaitWorkers(gm2, 2);
            Batch batchB = runBatch(images, "b", List.of(gm1, gm2), completed -> { });
            assertThat(batchB.exitCode()).as("thumbnail batch exit code; report: " + batchB.report()).isZero();
            assertThumbnails("b", images);
            Map<String, Integer> perServerHost = Map.of(
                    "w1@gm1", okLines("w1-b", "gm1"), "w1@gm2", okLines("w1-b", "gm2"),
                    "w2@gm1", okLines("w2-b", "gm1"), "w2@gm2", okLines("w2-b", "gm2"));
            assertThat(perServerHost.get("w1@gm1") + perServerHost.get("w2@gm1")).as("jobs via gm1").isPositive();
            assertThat(perServerHost.get("w1@gm2") + perServerHost.get("w2@gm2")).as("jobs via gm2").isPositive();
            assertThat(perServerHost.get("w1@gm1") + perServerHost.get("w1@gm2")).as("jobs on w1").isPositive();
            assertThat(perServerHost.get("w2@gm1") + perServerHost.get("w2@gm2")).as("jobs on w2").isPositive();
            report("phase 2: " + images.size() + " thumbnails spread over two job servers; jobs per worker@server "
                    + perServerHost);

            // 3. The first job server stops mid-batch. The client submits the jobs it held again, to the
            // second server (LeafRunner.SERVER_LOSS_RETRIES): the batch completes in one run.
            long[] stoppedAt = new long[1];
            int gm2Before = okLines("w1-b", "gm2") + okLines("w2-b", "gm2");
            Batch batchC = runBatch(images, "c", List.of(gm1, gm2), completed -> {
                if (completed == images.size() / 4) {
                    try {
                        Network.stop(gearmand1, 10);
                        stoppedAt[0] = System.nanoTime();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            assertThat(stoppedAt[0]).as("gm1 was stopped during the batch").isPositive();
            assertThat(batchC.errors()).as("jobs gm1 held are resubmitted, not failed").isEmpty();
            assertThat(batchC.exitCode()).as("thumbnail batch exit code; report: " + batchC.report()).isZero();
            assertThumbnails("c", images);
            int gm2After = okLines("w1-b", "gm2") + okLines("w2-b", "gm2") - gm2Before;
            assertThat(gm2After).as("jobs gm2 ran in this batch").isGreaterThanOrEqualTo(images.size() / 2);
            report("phase 3: gm1 stopped after " + images.size() / 4 + " of " + images.size() + " thumbnails;"
                    + " the batch completed in one run; gm2 ran " + gm2After + " jobs");
            assertThat(gearmand2.isAlive()).isTrue();
        }
        // Kept only when the test fails: the images, thumbnails and logs of a run take hundreds of MB.
        deleteRecursively(run);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    // --- the farm's parts

    private void startS3() throws Exception {
        Path conf = store.resolveSibling("s3proxy.properties");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=http://" + s3.address() + ":" + S3_PORT,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                // The filesystem back end maps bucket/key to folder/file, so the test writes the inputs and
                // reads the thumbnails as plain files.
                "jclouds.filesystem.basedir=" + store) + "\n");
        network.start(s3, "s3proxy", List.of(javaBinary.toString(), "-Xmx256m", "-jar", s3proxyJar.toString(),
                "--properties", conf.toString()));
        awaitPort(s3, S3_PORT);
    }

    private Process startGearmand(Host host) throws Exception {
        // Short keepalive so a vanished worker host is noticed in seconds; handles name the server, so a
        // worker's log line says which server the job came from.
        Process process = network.start(host, "gearmand-" + host.name(), List.of(javaBinary.toString(), "-Xmx256m", "-cp",
                gearmandJar.toString(), "dev.gearfarm.gearmand.Gearmand", "--port", String.valueOf(GEARMAN_PORT),
                "--listen", host.address(), "--job-handle-prefix", host.name(), "--keepalive", "--keepalive-idle", "1",
                "--keepalive-interval", "1", "--keepalive-count", "2", "--verbose", "INFO"));
        awaitPort(host, GEARMAN_PORT);
        return process;
    }

    private Process startWorker(Host host, String logName, Host... servers) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary.toString(), "-Xmx384m", "-jar", workerJar.toString()));
        for (Host server : servers) {
            command.addAll(List.of("--server", server.address() + ":" + GEARMAN_PORT));
        }
        command.addAll(List.of("--concurrency", "2", "--client-id", logName, "--s3-endpoint",
                "http://" + s3.address() + ":" + S3_PORT, "--s3-region", "us-east-1", "--s3-path-style", "true",
                "--s3-access-key", ACCESS_KEY, "--s3-secret-key", SECRET_KEY));
        return network.start(host, logName, command);
    }

    // --- the client host

    /** A finished {@code thumbnail batch}: its exit code, its report, and the report's error lines. */
    record Batch(int exitCode, Path report, List<String> errors) {
    }

    /**
     * Runs {@code thumbnail batch s3://images/ --out s3://thumbs/BATCH} on the client host against
     * {@code servers}, calling {@code onCompleted} as thumbnails appear in the store (with how many).
     */
    private Batch runBatch(List<String> images, String batch, List<Host> servers, IntConsumer onCompleted)
            throws Exception {
        String serverList = String.join(",", servers.stream().map(h -> h.address() + ":" + GEARMAN_PORT).toList());
        Path report = network.file("report-" + batch + "-" + System.nanoTime() + ".jsonl");
        Process process = network.start(client, "thumbnail-" + batch, List.of("env",
                "AWS_ACCESS_KEY_ID=" + ACCESS_KEY, "AWS_SECRET_ACCESS_KEY=" + SECRET_KEY, "AWS_REGION=us-east-1",
                javaBinary.toString(), "-Xmx256m", "-jar", thumbnailJar.toString(), "batch", "s3://images/",
                "--out", "s3://thumbs/" + batch, "--size", String.valueOf(BOX), "--server", serverList,
                "--s3-endpoint", "http://" + s3.address() + ":" + S3_PORT, "--job-timeout", "60",
                "--progress", "lines", "--progress-interval", "1", "--report", report.toString()));
        Path outputs = store.resolve("thumbs").resolve(batch);
        int seen = 0;
        long deadline = System.nanoTime() + BATCH_DEADLINE.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            int now = countFiles(outputs);
            for (int count = seen + 1; count <= now; count++) {
                onCompleted.accept(count);
            }
            seen = Math.max(seen, now);
            Thread.sleep(50);
        }
        if (!process.waitFor(1, TimeUnit.SECONDS)) {
            throw new AssertionError("thumbnail batch " + batch + " did not finish within " + BATCH_DEADLINE
                    + "; see " + network.log("thumbnail-" + batch));
        }
        List<String> errors = Files.exists(report)
                ? Files.readAllLines(report).stream().filter(l -> l.contains("\"error\"")).toList()
                : List.of("no report at " + report);
        return new Batch(process.exitValue(), report, errors);
    }

    private static int countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".jpg")).count();
        }
    }

    // --- observing

    /** Seconds from {@code cutAt} until {@code server} lists no connection from {@code host}. */
    private double awaitHostGone(Host server, Host host, long cutAt) {
        try {
            return pollHostGone(server, host, cutAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private double pollHostGone(Host server, Host host, long cutAt) throws IOException, InterruptedException {
        long deadline = cutAt + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Network.Result workers = network.run(client, 10, List.of(gearadmin, "-h", server.address(), "-p",
                    String.valueOf(GEARMAN_PORT), "--workers"));
            if (workers.exitCode() == 0 && !workers.output().contains(host.address())) {
                return (System.nanoTime() - cutAt) / 1e9;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(server.name() + " still lists connections from " + host.name()
                + " 60 s after its link went down; keepalive is not working");
    }

    private void awaitWorkers(Host server, int workers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            Network.Result status = network.run(client, 10, List.of(gearadmin, "-h", server.address(), "-p",
                    String.valueOf(GEARMAN_PORT), "--status"));
            last = status.output();
            for (String line : last.split("\n")) {
                String[] columns = line.split("\t");
                if (columns.length == 4 && columns[0].equals("thumbnail") && Integer.parseInt(columns[3].strip()) >= workers) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(server.name() + " did not see " + workers + " thumbnail workers within 60 s: " + last);
    }

    private void awaitPort(Host host, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (network.run(client, 10, List.of("bash", "-c", "exec 3<>/dev/tcp/" + host.address() + "/" + port))
                    .exitCode() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(host.name() + " did not listen on " + port + " within 60 s");
    }

    /** The worker's {@code result=ok} log lines, all or those of jobs from {@code server}. */
    private int okLines(String logName, String server) throws IOException {
        int count = 0;
        for (String line : Files.readAllLines(network.log(logName), StandardCharsets.UTF_8)) {
            Matcher m = WORKER_LINE.matcher(line);
            if (m.find() && (server == null || m.group(1).equals(server))) {
                count++;
            }
        }
        return count;
    }

    private void assertThumbnails(String batch, List<String> images) throws IOException {
        for (String image : images) {
            // The client's documented output name: input minus extension, then .SIZE.EXT.
            Path thumbnail = store.resolve("thumbs").resolve(batch).resolve(image.replace(".jpg", "." + BOX + ".jpg"));
            assertThat(thumbnail).as("s3://thumbs/" + batch + "/" + image).exists();
            BufferedImage decoded = ImageIO.read(thumbnail.toFile());
            assertThat(decoded).as(thumbnail + " decodes").isNotNull();
            assertThat(Math.max(decoded.getWidth(), decoded.getHeight())).as(thumbnail + " fits the box").isEqualTo(BOX);
        }
    }

    private static void report(String line) throws IOException {
        System.out.println("[several-machines] " + line);
        Path figures = Path.of("target", "several-machines", "figures.txt");
        Files.createDirectories(figures.getParent());
        Files.writeString(figures, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    // --- inputs

    /** {@code count} distinct 2400x1600 JPEG photos-to-be (gradients and noise, so they compress like photos). */
    private static List<String> makeImages(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(6);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(2400, 1600, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt()), 2400, 1600, new Color(random.nextInt())));
            g.fillRect(0, 0, 2400, 1600);
            for (int dot = 0; dot < 4000; dot++) {
                g.setColor(new Color(random.nextInt()));
                g.fillOval(random.nextInt(2400), random.nextInt(1600), 4 + random.nextInt(40), 4 + random.nextInt(40));
            }
            g.dispose();
            String name = String.format("img-%03d.jpg", i);
            ImageIO.write(image, "jpg", dir.resolve(name).toFile());
            names.add(name);
        }
        return names;
    }

    private static Path s3proxyJar() {
        String property = System.getProperty("s3proxy.jar");
        return property != null ? Path.of(property) : Path.of("target", "tools", "s3proxy.jar").toAbsolutePath();
    }

    private static Path requireFile(Path file) {
        Peers.requireThat(Files.isRegularFile(file), Repo.relative(file) + " is missing: run mvn verify (it builds"
                + " the fat jars and copies s3proxy) before the several-machines test");
        return file;
    }
}
