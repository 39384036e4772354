package dev.gearfarm.thumbnail.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.s3.S3Storage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The farm as it runs in production, every part a real process: our gearmand, two image-worker
 * processes, s3proxy as the store, and the thumbnail client, on real photos fetched by
 * scripts/fetch-test-images (Debian wallpapers) and broken files from the TwelveMonkeys test set.
 */
class ThumbnailFarmIT {
    @TempDir
    static Path dir;

    static S3Process s3;
    static Process gearmand;
    static int port;
    static final List<Process> workers = new ArrayList<>();
    static final List<Path> workerLogs = new ArrayList<>();
    static Path photos;
    static Map<String, String> env;

    @BeforeAll
    static void startFarm() throws Exception {
        Path images = Path.of(System.getProperty("test.images", "../image-workers/target/test-images"));
        if (!Files.isDirectory(images.resolve("photos"))) {
            Procs.Result fetched = Procs.run(List.of("../scripts/fetch-test-images", images.toString()), Map.of(), 600);
            Peers.requireThat(fetched.code() == 0, "scripts/fetch-test-images failed: " + fetched.err());
        }
        photos = dir.resolve("photos");
        Files.createDirectories(photos);
        try (Stream<Path> files = Files.list(images.resolve("photos"))) {
            for (Path photo : files.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(8).toList()) {
                Files.copy(photo, photos.resolve(photo.getFileName()));
            }
        }
        Peers.requireThat(Files.list(photos).count() >= 4, "fewer than 4 photos in " + images.resolve("photos"));

        s3 = S3Process.start(dir.resolve("s3"));
        try (var client = s3.client()) {
            client.createBucket(b -> b.bucket("thumbs"));
        }
        env = new HashMap<>(s3.env());
        Path gearmandJar = Peers.file("gearmand.jar", "build it with mvn package");
        port = Procs.freePort();
        Path gearmandLog = dir.resolve("gearmand.log");
        gearmand = Procs.start(List.of(Procs.java(), "-jar", gearmandJar.toString(), "-p", String.valueOf(port),
                "-L", "127.0.0.1"), Map.of(), gearmandLog);
        Procs.awaitPort(gearmand, port, gearmandLog);
        for (int i = 0; i < 2; i++) {
            startWorker(i);
        }
        awaitThumbnailWorkers(2);
    }

    static void startWorker(int i) throws Exception {
        Path jar = Peers.file("image.worker.jar", "build image-workers with mvn package");
        Path log = dir.resolve("worker-" + i + "-" + System.nanoTime() + ".log");
        Map<String, String> workerEnv = new HashMap<>(env);
        workerEnv.put("IMAGE_WORKER_LOG_LEVEL", "INFO");
        Process worker = Procs.start(List.of(Procs.java(), "-cp", jar.toString(),
                "dev.gearfarm.images.worker.ImageWorkerMain", "--server", "127.0.0.1:" + port, "--concurrency", "1",
                "--client-id", "it-worker-" + i, "--s3-endpoint", s3.endpoint.toString()), workerEnv, log);
        Procs.awaitLog(worker, log, "image-worker serving");
        workers.add(worker);
        workerLogs.add(log);
    }

    @AfterAll
    static void stopFarm() throws Exception {
        for (Process worker : workers) {
            Procs.stop(worker);
        }
        if (gearmand != null) {
            Procs.stop(gearmand);
        }
        if (s3 != null) {
            s3.close();
        }
    }

    static List<String> thumbnail(String... args) {
        Path jar = Peers.file("thumbnail.jar", "build it with mvn package");
        List<String> command = new ArrayList<>(List.of(Procs.java(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--server", "127.0.0.1:" + port, "--s3-endpoint", s3.endpoint.toString()));
        return command;
    }

    static int runningThumbnailJobs() throws Exception {
        return thumbnailStatus(2);
    }

    /** Waits until {@code n} workers have registered {@code thumbnail} (they log "serving" before that). */
    static void awaitThumbnailWorkers(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thumbnailStatus(3) < n) {
            assertThat(System.nanoTime()).as(n + " workers registered within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A column of the server's admin {@code status} line for thumbnail: 2 running jobs, 3 workers. */
    static int thumbnailStatus(int column) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("status\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            int running = 0;
            for (String line = reader.readLine(); line != null && !line.equals("."); line = reader.readLine()) {
                String[] fields = line.split("\t");
                if (fields[0].equals("thumbnail")) {
                    running = Integer.parseInt(fields[column]);
                }
            }
            return running;
        }
    }

    static long photoCount() throws Exception {
        try (Stream<Path> files = Files.list(photos)) {
            return files.count();
        }
    }

    @Test
    void photosBecomeThumbnailsInTheBucketEvenWhenAWorkerIsKilledAndARerunSkipsThemAll() throws Exception {
        long total = photoCount();
        Path report = dir.resolve("report-1.jsonl");
        Path out = dir.resolve("batch-1.out");
        Path err = dir.resolve("batch-1.err");
        Process batch = Procs.runAsync(thumbnail("batch", photos.toString(), "--out", "s3://thumbs/photos",
                "--in-flight", "4", "--report", report.toString(), "--progress", "lines", "--progress-interval", "1"),
                env, out, err);
        // Kill one worker with SIGKILL while both run a job (the server's admin status says 2 running), after
        // the first image is done: the job it held must go back to the queue and be done by the other one.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && (!Files.exists(report) || Files.readAllLines(report).isEmpty()
                || runningThumbnailJobs() < 2)) {
            Thread.sleep(20);
        }
        assertThat(runningThumbnailJobs()).as("both workers busy when one is killed").isEqualTo(2);
        Process victim = workers.remove(0);
        victim.destroyForcibly().waitFor();
        assertThat(batch.waitFor(300, TimeUnit.SECONDS)).as("batch finished").isTrue();
        assertThat(batch.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(out)).contains("done: " + total + " images: " + total + " made (" + total
                + " outputs,").contains("0 skipped, 0 failed");
        assertThat(Files.readString(err)).contains("progress: ").contains("/" + total + " (");

        try (S3Storage storage = new S3Storage(s3.settings())) {
            List<String> keys = storage.list("thumbs", "photos/");
            assertThat(keys).hasSize((int) total);
            for (String key : keys) {
                assertThat(key).endsWith(".256.jpg");
                BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(storage.get("thumbs", key, 10_000_000)));
                assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).as(key).isEqualTo(256);
            }
        }

        Procs.Result again = Procs.run(thumbnail("batch", photos.toString(), "--out", "s3://thumbs/photos",
                "--report", dir.resolve("report-2.jsonl").toString()), env, 120);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 made (0 outputs, 0 B), " + total + " skipped, 0 failed");
        assertThat(Files.readAllLines(dir.resolve("report-2.jsonl"))).hasSize((int) total)
                .allSatisfy(line -> assertThat(line).contains("\"skipped\":true"));
        startWorker(2);
        awaitThumbnailWorkers(2);
    }

    @Test
    void brokenFilesAreListedInTheReportWithReasonsAndTheExitCodeIsOne() throws Exception {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        Path images = Path.of(System.getProperty("test.images", "../image-workers/target/test-images"));
        try (Stream<Path> files = Files.list(images.resolve("broken-jpeg"))) {
            for (Path file : files.toList()) {
                Files.copy(file, broken.resolve(file.getFileName()));
            }
        }
        Files.writeString(broken.resolve("notes-not-an-image.jpg"), "this is a shopping list, not a JPEG\n");
        byte[] photo = Files.readAllBytes(Files.list(photos).sorted().findFirst().orElseThrow());
        Files.write(broken.resolve("truncated-photo.jpg"), java.util.Arrays.copyOf(photo, 3000));
        Path report = dir.resolve("broken-report.jsonl");

        Procs.Result run = Procs.run(thumbnail("batch", broken.toString(), "--out", "s3://thumbs/broken",
                "--report", report.toString(), "--progress", "none"), env, 300);

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("failed; see the report " + report);
        List<String> lines = Files.readAllLines(report);
        assertThat(lines).hasSize((int) Files.list(broken).count());
        assertThat(lines).allSatisfy(l -> assertThat(l.contains("\"error\":") || l.contains("\"outputs\":")).isTrue());
        assertThat(lines).filteredOn(l -> l.contains("notes-not-an-image.jpg")).singleElement()
                .satisfies(l -> assertThat(l).contains("\"error\":\"").doesNotContain("\"outputs\""));
        assertThat(lines).filteredOn(l -> l.contains("truncated-photo.jpg")).singleElement()
                .satisfies(l -> assertThat(l).contains("\"error\":\""));
        // The farm keeps serving after the broken files.
        Procs.Result after = Procs.run(thumbnail("submit", Files.list(photos).sorted().findFirst().orElseThrow().toString(),
                "--size", "64", "--out", dir.resolve("after").toString()), env, 120);
        assertThat(after.code()).as(after.err()).isZero();
        assertThat(after.out()).contains(".64.jpg");
    }

    @Test
    void aServerSideBatchListsAnS3PrefixAndAClientSideOneReadsItToo() throws Exception {
        List<Path> some;
        try (Stream<Path> files = Files.list(photos)) {
            some = files.sorted().limit(3).toList();
        }
        try (var client = s3.client()) {
            for (Path photo : some) {
                client.putObject(b -> b.bucket("thumbs").key("originals/2024/" + photo.getFileName()),
                        software.amazon.awssdk.core.sync.RequestBody.fromFile(photo));
            }
        }
        Procs.Result serverSide = Procs.run(thumbnail("batch", "s3://thumbs/originals", "--recursive",
                "--out", "s3://thumbs/from-s3", "--server-side", "--progress", "lines", "--progress-interval", "0.2",
                "--report", dir.resolve("server-side.jsonl").toString()), env, 300);
        assertThat(serverSide.code()).as(serverSide.err()).isZero();
        assertThat(serverSide.err()).contains("batch: 3 images in s3://thumbs/originals").contains("(server-side)")
                .contains("progress: 3/3 (100%)");
        assertThat(serverSide.out()).contains("done: 3 images: 3 made (3 outputs,");
        try (S3Storage storage = new S3Storage(s3.settings())) {
            assertThat(storage.list("thumbs", "from-s3/")).containsExactlyInAnyOrderElementsOf(some.stream()
                    .map(p -> "from-s3/2024/" + p.getFileName().toString().replace(".jpg", ".256.jpg")).toList());
        }

        Path local = dir.resolve("local-from-s3");
        Procs.Result clientSide = Procs.run(thumbnail("batch", "s3://thumbs/originals", "-r", "--out", local.toString(),
                "--size", "128", "--progress", "none"), env, 300);
        assertThat(clientSide.code()).as(clientSide.err()).isZero();
        for (Path photo : some) {
            BufferedImage thumb = ImageIO.read(local.resolve("2024").resolve(
                    photo.getFileName().toString().replace(".jpg", ".128.jpg")).toFile());
            assertThat(Math.max(thumb.getWidth(), thumb.getHeight())).isEqualTo(128);
        }
    }
}
