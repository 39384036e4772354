package dev.gearfarm.images.batch;

import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearman.worker.JobHandler;
import dev.gearfarm.gearman.worker.WorkerOptions;
import java.util.function.UnaryOperator;

/**
 * Serves {@code thumbnail_batch}: its own worker (so batches never take the slots the leaf jobs need;
 * with shared slots, N batches on an N-slot worker would wait forever for their leaves) and its own
 * client for the leaves.
 */
public final class BatchService implements AutoCloseable {
    private final GearmanClient client;
    private final GearmanWorker worker;

    private BatchService(GearmanClient client, GearmanWorker worker) {
        this.client = client;
        this.worker = worker;
    }

    /** Connects and registers {@code thumbnail_batch} with every server. */
    public static BatchService start(BatchOptions options) {
        return start(options, UnaryOperator.identity());
    }

    /** As {@link #start(BatchOptions)}, with the handler wrapped by {@code wrap} (the worker's metrics count it). */
    public static BatchService start(BatchOptions options, UnaryOperator<JobHandler> wrap) {
        GearmanClient client = GearmanClient.create(ClientOptions.builder().servers(options.servers())
                .clientId("thumbnail-batch-leaves").build());
        GearmanWorker worker = GearmanWorker.create(WorkerOptions.builder().servers(options.servers())
                .concurrency(options.slots()).clientId("thumbnail-batch").build());
        worker.register(ThumbnailBatchHandler.FUNCTION, wrap.apply(new ThumbnailBatchHandler(client,
                Store.firstOf(options.stores()), options.allowRoots(), options.maxItems(), options.jobTimeout())));
        return new BatchService(client, worker);
    }

    /** Stops taking batches, lets running ones finish (up to the worker's shutdown timeout), disconnects. */
    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            client.close();
        }
    }
}
