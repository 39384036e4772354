package dev.gearfarm.thumbnail;

import dev.gearfarm.gearman.admin.FunctionStatus;
import dev.gearfarm.gearman.admin.GearmanAdmin;
import dev.gearfarm.gearman.protocol.ProtocolLimits;
import dev.gearfarm.gearmand.config.ServerConfig;
import dev.gearfarm.gearmand.engine.EngineConfig;
import dev.gearfarm.gearmand.net.GearmanServer;
import dev.gearfarm.images.batch.ThumbnailBatchHandler;
import dev.gearfarm.images.codec.ImageDecoder;
import dev.gearfarm.images.s3.S3Settings;
import dev.gearfarm.images.worker.ImageWorkerOptions;
import dev.gearfarm.images.worker.ImageWorkerService;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A whole farm inside this process: our job server on a free loopback port and an image worker service
 * (which also serves {@code thumbnail_batch}) connected to it. The batch then runs over real Gearman
 * connections, exactly as against separate processes.
 */
final class EmbeddedFarm implements AutoCloseable {
    private final GearmanServer server;
    private final ImageWorkerService workers;

    private EmbeddedFarm(GearmanServer server, ImageWorkerService workers) {
        this.server = server;
        this.workers = workers;
    }

    /**
     * @param concurrency image jobs at once
     * @param readRoots   folders the workers may read sources from
     * @param writeRoots  folders the workers may write outputs to
     * @param s3          the store for {@code s3://} locations, or null
     * @param jpegDecoder how the workers decode JPEGs (libjpeg-turbo, ImageIO or AUTO), see image-workers
     */
    static EmbeddedFarm start(int concurrency, List<Path> readRoots, List<Path> writeRoots, S3Settings s3,
            ImageDecoder.JpegDecoder jpegDecoder) throws InterruptedException {
        // One I/O thread that also owns the job state: the fastest set-up on a small machine (see gearmand).
        ServerConfig config = new ServerConfig(0, List.of("127.0.0.1"), 1, 128, false, 0, 0, 0, 30, "WARNING",
                ProtocolLimits.DEFAULT, new EngineConfig("H:embedded", -1, 0, false, "embedded"));
        GearmanServer server = GearmanServer.start(config);
        try {
            ImageWorkerService workers = ImageWorkerService.start(ImageWorkerOptions.builder()
                    .servers(List.of("127.0.0.1:" + server.port()))
                    .concurrency(concurrency)
                    .allowRoots(readRoots)
                    .outputRoots(writeRoots)
                    .s3(s3)
                    .jpegDecoder(jpegDecoder)
                    .clientId("embedded-image-worker")
                    .build());
            awaitRegistered(server.port(), List.of(ImageWorkerService.THUMBNAIL, ThumbnailBatchHandler.FUNCTION));
            return new EmbeddedFarm(server, workers);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Waits until the workers' functions are registered: start() returns while they are still connecting. */
    private static void awaitRegistered(int port, List<String> functions) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (GearmanAdmin admin = GearmanAdmin.connect("127.0.0.1", port)) {
            while (System.nanoTime() < deadline) {
                List<String> registered = admin.status().stream().filter(f -> f.availableWorkers() > 0)
                        .map(FunctionStatus::name).toList();
                if (registered.containsAll(functions)) {
                    return;
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("the embedded image workers did not register " + functions + " within 30 s");
    }

    /** The server's address for clients. */
    String server() {
        return "127.0.0.1:" + server.port();
    }

    /** Stops the workers (letting running jobs finish), then the server. */
    @Override
    public void close() {
        try {
            workers.close();
        } finally {
            server.close();
        }
    }
}
