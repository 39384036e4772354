package dev.gearfarm.thumbnail;

import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.images.batch.BatchItem;
import dev.gearfarm.images.batch.BatchPlanner;
import dev.gearfarm.images.batch.BatchSummary;
import dev.gearfarm.images.batch.LeafRunner;
import dev.gearfarm.images.batch.OutputNames;
import dev.gearfarm.images.batch.Units;
import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobSpec;
import dev.gearfarm.images.spec.OutputSpec;
import dev.gearfarm.images.spec.Payload;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thumbnail submit SOURCE...}: one job per source, one line per output (or per handle). */
@Command(name = "submit", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"Makes thumbnails of each SOURCE (a local file, an http(s):// URL or s3://bucket/key) and "
                + "prints one line per output: the source, where the output went, its size in pixels and "
                + "bytes. Outputs are named SOURCE-NAME.SIZE[.MODE].EXT under --out (see the README)."},
        footer = {"", "Examples:",
            "  thumbnail submit cat.jpg                                   # ./cat.256.jpg",
            "  thumbnail submit cat.jpg --size 256 --size 1024 --fill --out thumbs",
            "  thumbnail submit https://example.com/dog.png --format webp --out s3://thumbs/web",
            "  thumbnail submit big.tif --background --out /shared/thumbs  # prints the job handle",
            "  cat.jpg -> /home/me/thumbs/cat.256.jpg 256x171 10.8 KB",
            "",
            "Local files are sent inside the job (works across machines); --send-files path sends the",
            "path instead, for workers that share this disk (bin/image-worker --allow-root). Outputs to a",
            "local folder come back in the result and are written here, except with --background, where",
            "the worker writes them (its --output-root must allow the folder)."})
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    FarmOptions farm;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "SOURCE", arity = "1..*", description = "Image files, URLs or s3://bucket/key.")
    List<String> sources;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR|s3://BUCKET/PREFIX", defaultValue = "${env:THUMBNAIL_OUT:-.}",
            description = "Where outputs go (env THUMBNAIL_OUT, default the current folder).")
    String out;

    @Option(names = "--background", description = "Queue the jobs and print their handles instead of waiting.")
    boolean background;

    @Option(names = "--send-files", paramLabel = "inline|path", defaultValue = "${env:THUMBNAIL_SEND_FILES:-inline}",
            description = "How local files reach the workers (env THUMBNAIL_SEND_FILES, default ${DEFAULT-VALUE}).")
    String sendFiles;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean sendPaths = BatchCommand.sendPaths(sendFiles);
        String root = out.startsWith("s3://") ? out : Path.of(out).toAbsolutePath().normalize().toString();
        List<OutputSpec> templates = output.templates(root);
        List<BatchItem> items = new ArrayList<>();
        for (String source : sources) {
            items.add(item(source, templates));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        try (GearmanClient client = farm.connect(farm.servers)) {
            if (background) {
                for (BatchItem item : items) {
                    String handle = client.submitBackground(JobRequest.of(LeafRunner.LEAF_FUNCTION,
                            backgroundPayload(item, sendPaths))).get(30, TimeUnit.SECONDS);
                    stdout.println(item.input() + ": " + handle);
                }
                return ThumbnailCli.EXIT_OK;
            }
            FarmOptions.requireWorkers(client, LeafRunner.LEAF_FUNCTION);
            ClientBatch batch = new ClientBatch(client, farm.store(List.of(out)), sendPaths, farm.jobTimeout());
            Progress quiet = new Progress(Progress.Mode.NONE, System.err, System::nanoTime, items.size(),
                    Progress.DEFAULT_LINE_INTERVAL);
            BatchSummary summary = batch.run(items, false, 16, line -> print(stdout, line), quiet);
            return summary.failed() == 0 ? ThumbnailCli.EXIT_OK : ThumbnailCli.EXIT_FAILURES;
        } finally {
            farm.close();
        }
    }

    private static void print(PrintWriter out, Report.Line line) {
        if (line.error() != null) {
            out.println(line.input() + ": FAILED: " + line.error());
        } else {
            for (Report.Output o : line.outputs()) {
                out.println(line.input() + " -> " + o.location() + " " + o.width() + "x" + o.height() + " "
                        + Units.bytes(o.bytes()));
            }
        }
        out.flush();
    }

    /** The job for one source; its outputs are named after the source's file name. */
    static BatchItem item(String source, List<OutputSpec> templates) {
        boolean remote = source.contains("://");
        String reference = source;
        if (!remote) {
            Path file = Path.of(source);
            if (!Files.isRegularFile(file)) {
                throw CliException.usage(source + " is not a file" + (Files.exists(file) ? "" : " (it does not exist)")
                        + "; give image files, http(s):// URLs or s3://bucket/key");
            }
            reference = file.toAbsolutePath().normalize().toString();
        }
        String path = remote ? source.replaceAll("[?#].*$", "") : reference;
        String name = path.substring(path.lastIndexOf('/') + 1);
        List<OutputSpec> outputs = new ArrayList<>();
        String input = name.isEmpty() ? "image" : name;
        for (OutputSpec template : templates) {
            outputs.add(BatchPlanner.withDestination(template,
                    OutputNames.resolve(template.destination(), OutputNames.relativeName(input, template))));
        }
        return new BatchItem(source, new JobSpec(source, reference, List.of(), outputs), null);
    }

    /** A background job stores its outputs itself: a local source may still travel inline. */
    private static byte[] backgroundPayload(BatchItem item, boolean sendPaths) throws java.io.IOException {
        JobSpec spec = item.spec();
        if (sendPaths || !ClientBatch.isLocal(spec.source())) {
            return JobJson.write(spec);
        }
        JobSpec inline = new JobSpec(spec.id(), JobSpec.INLINE, spec.operations(), spec.outputs());
        return new Payload(JobJson.write(inline), Files.readAllBytes(Path.of(spec.source()))).toBytes();
    }
}
