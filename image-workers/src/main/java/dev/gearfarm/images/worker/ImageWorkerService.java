package dev.gearfarm.images.worker;

import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearman.worker.WorkerOptions;
import dev.gearfarm.images.batch.BatchOptions;
import dev.gearfarm.images.batch.BatchService;
import dev.gearfarm.images.batch.S3Store;
import dev.gearfarm.images.codec.ImageDecoder;
import dev.gearfarm.images.codec.PixelBudget;
import dev.gearfarm.images.metrics.MetricsHttpServer;
import dev.gearfarm.images.metrics.WorkerMetrics;
import dev.gearfarm.images.s3.S3Storage;
import dev.gearfarm.images.sink.FileSink;
import dev.gearfarm.images.sink.ImageSink;
import dev.gearfarm.images.sink.S3Sink;
import dev.gearfarm.images.sink.Sinks;
import dev.gearfarm.images.source.FileSource;
import dev.gearfarm.images.source.HttpSource;
import dev.gearfarm.images.source.ImageSource;
import dev.gearfarm.images.source.S3Source;
import dev.gearfarm.images.source.Sources;
import dev.gearfarm.images.batch.ThumbnailBatchHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running image worker: serves the {@code thumbnail} function (and {@code thumbnail_batch}) on the configured job servers until
 * closed. Embeddable ({@code try (var w = ImageWorkerService.start(options)) { ... }}); the
 * {@code image-worker} process is this plus flags and a shutdown hook. Its {@link #metrics()} are always
 * kept; with {@link ImageWorkerOptions#httpPort()} set they are served on {@code /metrics}, with
 * {@code /health}.
 */
public final class ImageWorkerService implements AutoCloseable {
    /** The Gearman function name of the thumbnail job. */
    public static final String THUMBNAIL = "thumbnail";
    /** How long {@link #start} waits for the first job server connection before it returns anyway. */
    static final Duration FIRST_CONNECTION_GRACE = Duration.ofSeconds(2);

    private final ImageWorkerOptions options;
    private final PixelBudget budget;
    private final HttpSource http;
    private final S3Storage s3;
    private final GearmanWorker worker;
    private final BatchService batches;
    private final WorkerMetrics metrics;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile MetricsHttpServer endpoint;

    private ImageWorkerService(ImageWorkerOptions options, PixelBudget budget, HttpSource http, S3Storage s3,
            GearmanWorker worker, BatchService batches, WorkerMetrics metrics) {
        this.options = options;
        this.budget = budget;
        this.http = http;
        this.s3 = s3;
        this.worker = worker;
        this.batches = batches;
        this.metrics = metrics;
    }

    /**
     * Connects to the servers and starts taking {@code thumbnail} jobs, and serves {@code /metrics} and
     * {@code /health} when {@link ImageWorkerOptions#serveHttp()}.
     *
     * @throws IllegalStateException when the metrics port cannot be bound (its message names it)
     */
    public static ImageWorkerService start(ImageWorkerOptions options) {
        PixelBudget budget = options.decodeBudgetMegapixels() == 0 ? PixelBudget.fromHeap()
                : new PixelBudget(options.decodeBudgetMegapixels());
        HttpSource http = new HttpSource(options.http());
        S3Storage s3 = options.s3() == null ? null : new S3Storage(options.s3());
        WorkerMetrics metrics = new WorkerMetrics().bindJvmAndProcess();
        ImageWorkerService service = null;
        try {
            ThumbnailPipeline pipeline = pipeline(options, budget, http, s3);
            GearmanWorker worker = GearmanWorker.create(WorkerOptions.builder()
                    .servers(options.servers())
                    .concurrency(options.concurrency())
                    .clientId(options.clientId())
                    .shutdownTimeout(options.shutdownTimeout())
                    .build());
            worker.register(THUMBNAIL, new ThumbnailHandler(pipeline, metrics));
            // thumbnail_batch (Map/Reduce over thumbnail jobs) runs on a worker of its own: see BatchService.
            BatchService batches = BatchService.start(BatchOptions.builder().servers(options.servers())
                    .allowRoots(options.allowRoots()).stores(s3 == null ? List.of() : List.of(new S3Store(s3))).build(),
                    handler -> metrics.metered(ThumbnailBatchHandler.FUNCTION, handler));
            service = new ImageWorkerService(options, budget, http, s3, worker, batches, metrics);
            metrics.gauge("connected.servers", "Job servers the thumbnail worker is connected to now", worker,
                    GearmanWorker::connectedServers);
            metrics.gauge("decode.budget.megapixels", "Megapixels that may be decoded at once", budget,
                    PixelBudget::megapixels);
            metrics.gauge("decode.budget.available.megapixels", "Megapixels of the decode budget free now", budget,
                    PixelBudget::available);
            // A short grace for the first connection, so /health's first answer (and the start-up log line)
            // says what a moment later would: a server that is up is connected within milliseconds.
            service.awaitConnection(FIRST_CONNECTION_GRACE);
            if (options.serveHttp()) {
                service.endpoint = serve(options, metrics, service);
            }
            return service;
        } catch (RuntimeException e) {
            if (service != null) {
                service.close();
            } else {
                http.close();
                if (s3 != null) {
                    s3.close();
                }
                metrics.close();
            }
            throw e;
        }
    }

    private static MetricsHttpServer serve(ImageWorkerOptions options, WorkerMetrics metrics,
            ImageWorkerService service) {
        try {
            return MetricsHttpServer.start(options.httpListen(), options.httpPort(), metrics, service::problem);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve metrics on " + options.httpListen() + ":"
                    + options.httpPort() + " (" + e.getMessage() + "); choose another --http-port or --http-listen", e);
        }
    }

    /**
     * The pipeline these options describe, without a Gearman worker (the benchmark and tests use it).
     * The caller keeps {@code http} and {@code s3} and closes them.
     */
    public static ThumbnailPipeline pipeline(ImageWorkerOptions options, PixelBudget budget, HttpSource http,
            S3Storage s3) {
        List<ImageSource> sources = new ArrayList<>();
        List<ImageSink> sinks = new ArrayList<>();
        sources.add(http);
        if (!options.allowRoots().isEmpty()) {
            sources.add(new FileSource(options.allowRoots(), options.maxDownloadBytes()));
        }
        if (!options.outputRoots().isEmpty()) {
            sinks.add(new FileSink(options.outputRoots()));
        }
        if (s3 != null) {
            sources.add(new S3Source(s3, options.maxDownloadBytes()));
            sinks.add(new S3Sink(s3));
        }
        return new ThumbnailPipeline(new Sources(sources), new Sinks(sinks),
                new ImageDecoder(options.maxPixels(), budget, options.jpegDecoder()), options.maxDownloadBytes());
    }

    public ImageWorkerOptions options() {
        return options;
    }

    /** The decode budget the jobs share (its {@code available()} shows how much is in use). */
    public PixelBudget budget() {
        return budget;
    }

    /** Waits up to {@code timeout} until a job server is connected; whether one is. */
    public boolean awaitConnection(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (worker.connectedServers() == 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Job servers connected now, of {@code options().servers()}. */
    public int connectedServers() {
        return worker.connectedServers();
    }

    /** Jobs running now. */
    public int busy() {
        return worker.busy();
    }

    /** The worker's meters (served on {@code /metrics} when the HTTP port is on). */
    public WorkerMetrics metrics() {
        return metrics;
    }

    /** Where {@code /metrics} and {@code /health} are served, or null when they are not. */
    public InetSocketAddress httpAddress() {
        return endpoint == null ? null : endpoint.address();
    }

    /**
     * Why this worker cannot take jobs now, or null when it can: it is shutting down, or it is connected to
     * none of its job servers. What {@code /health} answers.
     */
    public String problem() {
        if (closing.get()) {
            return "shutting down";
        }
        if (worker.connectedServers() == 0) {
            return "not connected to any job server (" + String.join(", ", options.servers()) + ")";
        }
        return null;
    }

    /** Stops taking jobs, lets running ones finish and send their results, then disconnects. */
    @Override
    public void close() {
        // From here on /health answers 503, so a load balancer or orchestrator stops counting on us.
        closing.set(true);
        try {
            // Batches first: a running batch waits for leaves that this service's worker serves.
            batches.close();
            worker.close();
        } finally {
            http.close();
            if (s3 != null) {
                s3.close();
            }
            if (endpoint != null) {
                endpoint.close();
            }
            metrics.close();
        }
    }
}
