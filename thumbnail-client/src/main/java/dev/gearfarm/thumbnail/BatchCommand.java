package dev.gearfarm.thumbnail;

import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobListener;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.batch.BatchItem;
import dev.gearfarm.images.batch.BatchJson;
import dev.gearfarm.images.batch.BatchManifest;
import dev.gearfarm.images.batch.BatchPlanner;
import dev.gearfarm.images.batch.BatchSummary;
import dev.gearfarm.images.batch.LeafRunner;
import dev.gearfarm.images.batch.Store;
import dev.gearfarm.images.batch.ThumbnailBatchHandler;
import dev.gearfarm.images.codec.ImageDecoder;
import dev.gearfarm.images.spec.JobJson;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thumbnail batch INPUT --out OUT}: every image of a folder or S3 prefix, resumable, with progress. */
@Command(name = "batch", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"Makes thumbnails of every image in a folder or under an S3 prefix, a bounded number at a "
                + "time, showing progress (a bar on a terminal, a line every few seconds otherwise), writing "
                + "a JSON-lines report and ending with a summary. A rerun skips images whose outputs all "
                + "exist. Output names: INPUT-PATH minus extension + .SIZE[.MODE].EXT, e.g. 2024/cat.jpg -> "
                + "OUT/2024/cat.256.jpg."},
        footer = {"", "Examples:",
            "  thumbnail batch samples --out /tmp/thumbs --embedded         # farm inside this process",
            "  thumbnail batch photos -r --include '*.jpg' --out s3://thumbs/photos --size 256 --size 1024",
            "  thumbnail batch /srv/photos -r --out /srv/thumbs --server-side --background",
            "  thumbnail status H:gm1:42                                     # numerator/denominator",
            "",
            "The report is OUT/.thumbnail-report-<UTC time>.jsonl (./thumbnail-report-<time>.jsonl for an S3",
            "OUT) unless --report; one line per image: input, outputs or error, or skipped.",
            "Exit codes: 0 all done; 1 some images failed (named in the report); 2 usage or bad input;",
            "3 cannot reach the job server or the S3 store."})
final class BatchCommand implements Callable<Integer> {
    @Mixin
    FarmOptions farm;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "INPUT", description = "A folder, or s3://bucket/prefix.")
    String input;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR|s3://BUCKET/PREFIX", defaultValue = "${env:THUMBNAIL_OUT}",
            description = "Where outputs go (env THUMBNAIL_OUT); required.")
    String out;

    @Option(names = {"-r", "--recursive"}, defaultValue = "${env:THUMBNAIL_RECURSIVE:-false}", fallbackValue = "true",
            arity = "0..1", description = "Descend into sub-folders (env THUMBNAIL_RECURSIVE).")
    boolean recursive;

    @Option(names = "--include", paramLabel = "GLOB", defaultValue = "${env:THUMBNAIL_INCLUDE}",
            description = {"Take the files this glob matches instead of image-looking extensions; without a / it "
                    + "matches file names ('*.jpg'), with one the relative path ('2024/**') (env "
                    + "THUMBNAIL_INCLUDE)."})
    String include;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "${env:THUMBNAIL_IN_FLIGHT:-16}",
            description = "Jobs submitted and unfinished at once (env THUMBNAIL_IN_FLIGHT, default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "${env:THUMBNAIL_PROGRESS:-auto}",
            description = "How progress is shown on stderr; auto is a bar on a terminal, lines otherwise"
                    + " (env THUMBNAIL_PROGRESS).")
    String progress;

    @Option(names = "--progress-interval", paramLabel = "SECONDS",
            defaultValue = "${env:THUMBNAIL_PROGRESS_INTERVAL:-5}",
            description = "Seconds between progress lines when not drawing a bar (default ${DEFAULT-VALUE}).")
    double progressInterval;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "${env:THUMBNAIL_REPORT}",
            description = "Where the JSON-lines report goes (env THUMBNAIL_REPORT; default above).")
    Path report;

    @Option(names = "--overwrite", description = "Make every output again, even those that exist (no resume).")
    boolean overwrite;

    @Option(names = "--send-files", paramLabel = "inline|path", defaultValue = "${env:THUMBNAIL_SEND_FILES:-inline}",
            description = {"How local images reach the workers: inside the job (inline, works across machines) or as a"
                    + " path the workers read (needs bin/image-worker --allow-root) (default ${DEFAULT-VALUE})."})
    String sendFiles;

    @Option(names = "--server-side",
            description = {"Submit the whole batch as one thumbnail_batch job: a worker splits it into thumbnail jobs "
            + "and reports progress; the workers must reach INPUT and OUT themselves."})
    boolean serverSide;

    @Option(names = "--background", description = "With --server-side: print the job handle and return at once.")
    boolean background;

    @Option(names = "--embedded",
            description = {"Start a job server and image workers inside this process on a free port, run the batch, "
            + "stop them: nothing else needed."})
    boolean embedded;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "${env:THUMBNAIL_WORKERS:-0}",
            description = "With --embedded: image jobs at once (default: one per core).")
    int workers;

    @Option(names = "--turbojpeg", paramLabel = "auto|true|false", arity = "0..1", fallbackValue = "true",
            defaultValue = "${env:THUMBNAIL_TURBOJPEG:-auto}",
            description = "With --embedded: decode JPEGs with libjpeg-turbo, scaling while decoding (Debian's"
                    + " libturbojpeg-java); auto uses it when installed (env THUMBNAIL_TURBOJPEG, default"
                    + " ${DEFAULT-VALUE}).")
    String turboJpeg;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (out == null || out.isBlank()) {
            throw CliException.usage("batch needs --out DIR|s3://bucket/prefix (or THUMBNAIL_OUT)");
        }
        if (background && !serverSide) {
            throw CliException.usage("--background needs --server-side: a client-side batch runs in this process");
        }
        if (background && embedded) {
            throw CliException.usage("--background cannot be used with --embedded: the embedded farm stops when"
                    + " this command ends");
        }
        if (inFlight < 1 || inFlight > BatchManifest.MAX_IN_FLIGHT) {
            throw CliException.usage("--in-flight must be 1.." + BatchManifest.MAX_IN_FLIGHT + ", got " + inFlight);
        }
        Progress.Mode mode = progressMode(progress);
        boolean sendPaths = sendPaths(sendFiles);
        String source = absolute(input);
        String target = absolute(out);
        BatchManifest manifest;
        try {
            manifest = new BatchManifest(source, null, recursive, include, output.templates(target), inFlight,
                    !overwrite);
        } catch (ImageJobException e) {
            throw CliException.usage(e.getMessage());
        }
        EmbeddedFarm embeddedFarm = null;
        try {
            List<String> servers = farm.servers;
            if (!target.startsWith("s3://")) {
                try {
                    java.nio.file.Files.createDirectories(Path.of(target));
                } catch (java.io.IOException e) {
                    throw CliException.usage("cannot create the output folder " + target + ": " + e.getMessage());
                }
            }
            if (embedded) {
                embeddedFarm = EmbeddedFarm.start(workers > 0 ? workers : Runtime.getRuntime().availableProcessors(),
                        localRoots(source), localRoots(target),
                        source.startsWith("s3://") || target.startsWith("s3://") ? farm.s3Settings() : null,
                        ImageDecoder.JpegDecoder.parse(turboJpeg));
                servers = List.of(embeddedFarm.server());
                // The in-process workers read the files themselves; no need to copy them into jobs.
                sendPaths = true;
            }
            try (GearmanClient client = farm.connect(servers)) {
                FarmOptions.requireWorkers(client,
                        serverSide ? ThumbnailBatchHandler.FUNCTION : LeafRunner.LEAF_FUNCTION);
                return serverSide ? serverSide(client, manifest, mode) : clientSide(client, manifest, mode, sendPaths);
            }
        } finally {
            if (embeddedFarm != null) {
                embeddedFarm.close();
            }
            farm.close();
        }
    }

    private int clientSide(GearmanClient client, BatchManifest manifest, Progress.Mode mode, boolean sendPaths)
            throws InterruptedException {
        Store store = farm.store(List.of(manifest.source(), out));
        List<BatchItem> items = plan(manifest, store);
        Path reportFile = reportFile(manifest);
        PrintStream err = System.err;
        spec.commandLine().getErr().println("batch: " + items.size() + " image" + (items.size() == 1 ? "" : "s")
                + " in " + input + " -> " + out + "; report " + reportFile);
        BatchSummary summary;
        try (Report lines = Report.create(reportFile)) {
            Progress bar = new Progress(mode, err, System::nanoTime, items.size(),
                    Duration.ofMillis(Math.max(100, (long) (progressInterval * 1000))));
            ClientBatch batch = new ClientBatch(client, store, sendPaths, farm.jobTimeout());
            try {
                summary = batch.run(items, manifest.skipExisting(), manifest.inFlight(), lines::write, bar);
            } catch (ImageJobException e) {
                throw unreachableOrUsage(e);
            }
        }
        return finish(summary, reportFile);
    }

    private int serverSide(GearmanClient client, BatchManifest manifest, Progress.Mode mode) throws Exception {
        JobRequest request = JobRequest.of(ThumbnailBatchHandler.FUNCTION, JobJson.write(manifest));
        PrintWriter stdout = spec.commandLine().getOut();
        if (background) {
            String handle = client.submitBackground(request).get(30, TimeUnit.SECONDS);
            stdout.println(handle);
            spec.commandLine().getErr().println("batch: queued as " + handle + "; follow it with: thumbnail status "
                    + handle);
            return ThumbnailCli.EXIT_OK;
        }
        AtomicReference<Progress> bar = new AtomicReference<>();
        byte[] result;
        try {
            result = client.submit(request, new JobListener() {
                @Override
                public void onStatus(long numerator, long denominator) {
                    // The total is known only once the batch worker has listed the input.
                    if (bar.get() == null) {
                        spec.commandLine().getErr().println("batch: " + denominator + " images in " + input + " -> " + out
                                + " (server-side)");
                        bar.set(new Progress(mode, System.err, System::nanoTime, denominator,
                                Duration.ofMillis(Math.max(100, (long) (progressInterval * 1000)))));
                    }
                    bar.get().update(numerator, 0);
                }
            }).result().get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof dev.gearfarm.gearman.JobExceptionException failed) {
                throw new CliException(ThumbnailCli.EXIT_USAGE, "the batch failed: " + failed.workerMessage());
            }
            throw new CliException(ThumbnailCli.EXIT_UNREACHABLE, "the batch failed: " + cause.getMessage(), cause);
        }
        BatchSummary summary = BatchJson.readSummary(result);
        if (bar.get() != null) {
            bar.get().finish(summary.done(), summary.failed());
        }
        Path reportFile = reportFile(manifest);
        try (Report lines = Report.create(reportFile)) {
            for (BatchSummary.Failure failure : summary.failures()) {
                lines.write(new Report.Line(failure.input(), null, null, failure.error()));
            }
        }
        return finish(summary, reportFile);
    }

    private int finish(BatchSummary summary, Path reportFile) {
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("done: " + summary.describe());
        stdout.flush();
        if (summary.failed() > 0) {
            spec.commandLine().getErr().println("thumbnail: " + summary.failed() + " image"
                    + (summary.failed() == 1 ? "" : "s") + " failed; see the report " + reportFile.toAbsolutePath());
            return ThumbnailCli.EXIT_FAILURES;
        }
        return ThumbnailCli.EXIT_OK;
    }

    private Path reportFile(BatchManifest manifest) {
        return report != null ? report : Report.defaultFile(manifest.outputs().get(0).destination(), Instant.now());
    }

    private List<BatchItem> plan(BatchManifest manifest, Store store) {
        try {
            return BatchPlanner.plan(manifest, store, BatchPlanner.DEFAULT_MAX_ITEMS);
        } catch (ImageJobException e) {
            throw unreachableOrUsage(e);
        }
    }

    private static CliException unreachableOrUsage(ImageJobException e) {
        boolean store = e.reason() == ImageJobException.Reason.UNREACHABLE
                || e.reason() == ImageJobException.Reason.ACCESS_DENIED;
        return new CliException(store ? ThumbnailCli.EXIT_UNREACHABLE : ThumbnailCli.EXIT_USAGE, e.getMessage(), e);
    }

    static Progress.Mode progressMode(String text) {
        try {
            return Progress.Mode.valueOf(text.trim().toUpperCase(Locale.ROOT)).resolve(System.console() != null);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--progress \"" + text + "\" is not one of auto, bar, lines, none");
        }
    }

    static boolean sendPaths(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "inline" -> false;
            case "path" -> true;
            default -> throw CliException.usage("--send-files \"" + text + "\" is not one of inline, path");
        };
    }

    private static String absolute(String location) {
        return location.startsWith("s3://") ? location : Path.of(location).toAbsolutePath().normalize().toString();
    }

    private static List<Path> localRoots(String location) {
        List<Path> roots = new ArrayList<>();
        if (!location.startsWith("s3://")) {
            roots.add(Path.of(location));
        }
        return roots;
    }
}
