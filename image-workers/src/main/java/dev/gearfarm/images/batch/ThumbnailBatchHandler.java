package dev.gearfarm.images.batch;

import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.worker.JobHandler;
import dev.gearfarm.gearman.worker.WorkerJob;
import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.spec.JobJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code thumbnail_batch} function, Gearman's Map/Reduce "intermediate worker": takes a {@link
 * BatchManifest}, splits it into leaf {@code thumbnail} jobs it submits itself (bounded in flight),
 * sends {@code WORK_STATUS} done/total to its client as leaves finish, and returns the {@link
 * BatchSummary} as JSON. Inputs whose outputs all exist are skipped (unless the manifest says not to).
 * Leaf failures are listed in the summary; the batch job itself fails only when the manifest is bad or
 * the source cannot be listed.
 */
public final class ThumbnailBatchHandler implements JobHandler {
    /** The function name. */
    public static final String FUNCTION = "thumbnail_batch";

    private static final Logger log = LoggerFactory.getLogger(ThumbnailBatchHandler.class);

    private final GearmanClient leaves;
    private final Store store;
    private final List<Path> allowRoots;
    private final int maxItems;
    private final Duration jobTimeout;

    /**
     * @param leaves     the client leaf jobs are submitted through
     * @param store      lists sources and finds existing outputs
     * @param allowRoots folders a local {@code source} must lie under (the workers' allowed roots)
     */
    public ThumbnailBatchHandler(GearmanClient leaves, Store store, List<Path> allowRoots, int maxItems,
            Duration jobTimeout) {
        this.leaves = leaves;
        this.store = store;
        this.allowRoots = allowRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.maxItems = maxItems;
        this.jobTimeout = jobTimeout;
    }

    @Override
    public byte[] handle(WorkerJob job) throws InterruptedException {
        long start = System.nanoTime();
        BatchManifest manifest = BatchJson.readManifest(job.payload());
        checkAllowed(manifest);
        List<BatchItem> items = BatchPlanner.plan(manifest, store, maxItems);
        BatchTally tally = new BatchTally(items.size());
        job.sendStatus(0, items.size());
        List<BatchItem> todo = new ArrayList<>();
        for (BatchItem item : items) {
            if (item.problem() == null && manifest.skipExisting() && BatchPlanner.done(item, store)) {
                tally.skipped();
            } else {
                todo.add(item);
            }
        }
        if (tally.done() > 0) {
            job.sendStatus(tally.done(), items.size());
        }
        new LeafRunner(leaves, manifest.inFlight(), jobTimeout).run(todo, LeafRunner::specOnly, outcome -> {
            if (outcome.ok()) {
                tally.succeeded(outcome.result());
            } else {
                tally.failed(outcome.item().input(), outcome.error());
            }
            job.sendStatus(tally.done(), items.size());
        });
        BatchSummary summary = tally.summary((System.nanoTime() - start) / 1_000_000);
        log.info("batch {} of {}: {}", job.handle(), manifest.source() != null ? manifest.source()
                : manifest.urls().size() + " URLs", summary.describe());
        return JobJson.write(summary);
    }

    /** A local source folder must lie under an allowed root, as leaf sources must. */
    private void checkAllowed(BatchManifest manifest) {
        if (manifest.source() == null || !store.handles(manifest.source()) || manifest.source().startsWith("s3://")) {
            return;
        }
        Path source = LocalStore.path(manifest.source()).toAbsolutePath().normalize();
        if (allowRoots.stream().noneMatch(source::startsWith)) {
            throw new ImageJobException(ImageJobException.Reason.FORBIDDEN, "source folder " + source
                    + " is outside the worker's allowed roots " + allowRoots + "; start the workers with"
                    + " --allow-root " + source + " or send the images inline (thumbnail batch without --server-side)");
        }
    }
}
