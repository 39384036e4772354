package dev.gearfarm.images.worker;

import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearman.worker.WorkerOptions;
import dev.gearfarm.images.batch.BatchOptions;
import dev.gearfarm.images.batch.BatchService;
import dev.gearfarm.images.batch.S3Store;
import dev.gearfarm.images.codec.ImageDecoder;
import dev.gearfarm.images.codec.PixelBudget;
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
import java.util.ArrayList;
import java.util.List;

/**
 * A running image worker: serves the {@code thumbnail} function (and {@code thumbnail_batch}) on the configured job servers until
 * closed. Embeddable ({@code try (var w = ImageWorkerService.start(options)) { ... }}); the
 * {@code image-worker} process is this plus flags and a shutdown hook.
 */
public final class ImageWorkerService implements AutoCloseable {
    /** The Gearman function name of the thumbnail job. */
    public static final String THUMBNAIL = "thumbnail";

    private final ImageWorkerOptions options;
    private final PixelBudget budget;
    private final HttpSource http;
    private final S3Storage s3;
    private final GearmanWorker worker;
    private final BatchService batches;

    private ImageWorkerService(ImageWorkerOptions options, PixelBudget budget, HttpSource http, S3Storage s3,
            GearmanWorker worker, BatchService batches) {
        this.options = options;
        this.budget = budget;
        this.http = http;
        this.s3 = s3;
        this.worker = worker;
        this.batches = batches;
    }

    /** Connects to the servers and starts taking {@code thumbnail} jobs. */
    public static ImageWorkerService start(ImageWorkerOptions options) {
        PixelBudget budget = options.decodeBudgetMegapixels() == 0 ? PixelBudget.fromHeap()
                : new PixelBudget(options.decodeBudgetMegapixels());
        HttpSource http = new HttpSource(options.http());
        S3Storage s3 = options.s3() == null ? null : new S3Storage(options.s3());
        try {
            ThumbnailPipeline pipeline = pipeline(options, budget, http, s3);
            GearmanWorker worker = GearmanWorker.create(WorkerOptions.builder()
                    .servers(options.servers())
                    .concurrency(options.concurrency())
                    .clientId(options.clientId())
                    .shutdownTimeout(options.shutdownTimeout())
                    .build());
            worker.register(THUMBNAIL, new ThumbnailHandler(pipeline));
            // thumbnail_batch (Map/Reduce over thumbnail jobs) runs on a worker of its own: see BatchService.
            BatchService batches = BatchService.start(BatchOptions.builder().servers(options.servers())
                    .allowRoots(options.allowRoots()).stores(s3 == null ? List.of() : List.of(new S3Store(s3))).build());
            return new ImageWorkerService(options, budget, http, s3, worker, batches);
        } catch (RuntimeException e) {
            http.close();
            if (s3 != null) {
                s3.close();
            }
            throw e;
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
                new ImageDecoder(options.maxPixels(), budget, options.turboJpeg()), options.maxDownloadBytes());
    }

    public ImageWorkerOptions options() {
        return options;
    }

    /** The decode budget the jobs share (its {@code available()} shows how much is in use). */
    public PixelBudget budget() {
        return budget;
    }

    /** Jobs running now. */
    public int busy() {
        return worker.busy();
    }

    /** Stops taking jobs, lets running ones finish and send their results, then disconnects. */
    @Override
    public void close() {
        try {
            // Batches first: a running batch waits for leaves that this service's worker serves.
            batches.close();
            worker.close();
        } finally {
            http.close();
            if (s3 != null) {
                s3.close();
            }
        }
    }
}
