package dev.gearfarm.thumbnail;

import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.images.batch.BatchItem;
import dev.gearfarm.images.batch.BatchPlanner;
import dev.gearfarm.images.batch.BatchSummary;
import dev.gearfarm.images.batch.BatchTally;
import dev.gearfarm.images.batch.LeafRunner;
import dev.gearfarm.images.batch.Store;
import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobResult;
import dev.gearfarm.images.spec.JobSpec;
import dev.gearfarm.images.spec.OutputSpec;
import dev.gearfarm.images.spec.Payload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A batch driven from this client: plans the leaves, skips inputs already done, submits the rest with a
 * bounded number in flight, writes local outputs that come back inline, and records every input in the
 * report while the progress display follows along.
 *
 * <p>Local source files travel inline (so the workers need no access to this machine's disk) unless
 * {@code sendPaths}; S3 sources are read by the workers. Outputs to a local folder come back inline and
 * are written here; outputs to S3 are stored by the workers.
 */
final class ClientBatch {
    private final GearmanClient client;
    private final Store store;
    private final boolean sendPaths;
    private final Duration jobTimeout;

    ClientBatch(GearmanClient client, Store store, boolean sendPaths, Duration jobTimeout) {
        this.client = client;
        this.store = store;
        this.sendPaths = sendPaths;
        this.jobTimeout = jobTimeout;
    }

    /**
     * Runs the items and returns the summary.
     *
     * @param skipExisting whether inputs whose outputs all exist are skipped (resume)
     * @param lines        gets one report line per input, on one thread, as outcomes arrive
     */
    BatchSummary run(List<BatchItem> items, boolean skipExisting, int inFlight, Consumer<Report.Line> lines,
            Progress progress) throws InterruptedException {
        long start = System.nanoTime();
        BatchTally tally = new BatchTally(items.size());
        List<BatchItem> todo = new ArrayList<>();
        for (BatchItem item : items) {
            if (item.problem() == null && skipExisting && BatchPlanner.done(item, store)) {
                tally.skipped();
                lines.accept(new Report.Line(item.input(), true,
                        item.destinations().stream().map(d -> new Report.Output(d, null, null, null, null)).toList(),
                        null));
            } else {
                todo.add(item);
            }
        }
        progress.baseline(tally.done());
        progress.update(tally.done(), 0);
        new LeafRunner(client, inFlight, jobTimeout).run(todo, this::payload, outcome -> {
            BatchItem item = outcome.item();
            String error = outcome.error();
            List<Report.Output> outputs = null;
            if (error == null) {
                try {
                    outputs = store(item, outcome.result(), outcome.blob());
                    tally.succeeded(outcome.result());
                } catch (IOException | RuntimeException e) {
                    error = "cannot write the output of " + item.input() + ": " + e.getMessage();
                }
            }
            if (error != null) {
                tally.failed(item.input(), error);
            }
            lines.accept(new Report.Line(item.input(), null, outputs, error));
            progress.update(tally.done(), tally.failedCount());
        });
        BatchSummary summary = tally.summary((System.nanoTime() - start) / 1_000_000);
        progress.finish(summary.done(), summary.failed());
        return summary;
    }

    /** The leaf payload: local outputs turned inline, and a local source inline unless sending paths. */
    private byte[] payload(BatchItem item) throws IOException {
        JobSpec spec = item.spec();
        List<OutputSpec> outputs = new ArrayList<>();
        for (OutputSpec output : spec.outputs()) {
            boolean local = isLocal(output.destination());
            outputs.add(local ? BatchPlanner.withDestination(output, OutputSpec.INLINE) : output);
        }
        boolean inlineSource = !sendPaths && isLocal(spec.source());
        String source = inlineSource ? JobSpec.INLINE : spec.source();
        JobSpec leaf = new JobSpec(item.input(), source, spec.operations(), outputs);
        byte[] blob = inlineSource ? Files.readAllBytes(Path.of(spec.source())) : null;
        return new Payload(JobJson.write(leaf), blob).toBytes();
    }

    /** Writes the inline outputs to their final paths; returns the report's view of every output. */
    private List<Report.Output> store(BatchItem item, JobResult result, byte[] blob) throws IOException {
        List<String> destinations = item.destinations();
        if (result.outputs().size() != destinations.size()) {
            throw new IOException("the worker returned " + result.outputs().size() + " outputs for "
                    + destinations.size() + " asked");
        }
        List<Report.Output> outputs = new ArrayList<>();
        for (int i = 0; i < destinations.size(); i++) {
            JobResult.OutputResult r = result.outputs().get(i);
            String destination = destinations.get(i);
            if (isLocal(destination)) {
                if (r.offset() == null || r.offset() < 0 || r.offset() + r.bytes() > blob.length) {
                    throw new IOException("the worker's inline output " + i + " lies outside the "
                            + blob.length + " bytes it returned");
                }
                LocalOutputs.write(Path.of(destination), blob, r.offset().intValue(), (int) r.bytes());
                outputs.add(Report.Output.of(r, Path.of(destination).toAbsolutePath().toString()));
            } else {
                outputs.add(Report.Output.of(r, r.location()));
            }
        }
        return outputs;
    }

    static boolean isLocal(String location) {
        return !location.contains("://") && !OutputSpec.INLINE.equals(location);
    }
}
