package dev.gearfarm.images.worker;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.codec.DecodedImage;
import dev.gearfarm.images.codec.ImageDecoder;
import dev.gearfarm.images.codec.ImageEncoder;
import dev.gearfarm.images.ops.Operations;
import dev.gearfarm.images.ops.Resize;
import dev.gearfarm.images.sink.ImageSink;
import dev.gearfarm.images.source.ImageSource;
import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobResult;
import dev.gearfarm.images.spec.JobSpec;
import dev.gearfarm.images.spec.Operation;
import dev.gearfarm.images.spec.OutputSpec;
import dev.gearfarm.images.spec.Payload;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code thumbnail} job from payload to result, without Gearman: parse, fetch, decode once, source
 * operations, then per output resize, output operations, encode and store (or return inline). The
 * worker's handler wraps it; the benchmark and tests call it directly. Thread-safe.
 */
public final class ThumbnailPipeline {
    /** Progress as the job goes: {@code done} of {@code total} steps (fetch, decode, each output). */
    @FunctionalInterface
    public interface Progress {
        /** Progress that goes nowhere. */
        Progress NONE = (done, total) -> { };

        void report(long done, long total);
    }

    /** A stage of a job, timed by {@link Stages}. */
    public enum Stage {
        /** Reading the source: inline, HTTP, file or S3. */
        FETCH,
        /** Decoding the source, waiting for the decode budget included. */
        DECODE,
        /** Source operations, then per output its resize and operations. */
        TRANSFORM,
        /** Encoding one output. */
        ENCODE,
        /** Writing one output to its file or S3 destination. */
        STORE;

        /** The label of this stage in metrics, lower case. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Where stage timings go (the worker's metrics); called on the job's thread. */
    @FunctionalInterface
    public interface Stages {
        /** Timings that go nowhere. */
        Stages NONE = (stage, nanos) -> { };

        void record(Stage stage, long nanos);
    }

    /** A finished job: the result as sent (JSON, NUL, inline bytes) and the parsed parts, for the log line. */
    public record Outcome(byte[] bytes, JobSpec spec, JobResult result) {}

    private final ImageSource sources;
    private final ImageSink sinks;
    private final ImageDecoder decoder;
    private final long maxSourceBytes;
    private final WatermarkCache watermarks;

    /**
     * @param maxSourceBytes the largest inline source accepted (fetched sources are capped by the sources)
     */
    public ThumbnailPipeline(ImageSource sources, ImageSink sinks, ImageDecoder decoder, long maxSourceBytes) {
        this.sources = sources;
        this.sinks = sinks;
        this.decoder = decoder;
        this.maxSourceBytes = maxSourceBytes;
        this.watermarks = new WatermarkCache(sources);
    }

    /** Runs the job in {@code payload}; every failure is an {@link ImageJobException} naming the input. */
    public Outcome run(byte[] payload, Progress progress) {
        return run(payload, progress, Stages.NONE);
    }

    /** As {@link #run(byte[], Progress)}, telling {@code stages} how long each stage took. */
    public Outcome run(byte[] payload, Progress progress, Stages stages) {
        Payload parsed = Payload.parse(payload);
        JobSpec spec = JobJson.readSpec(parsed.json());
        long total = spec.outputs().size() + 2L;
        long mark = System.nanoTime();
        byte[] encoded = fetch(spec, parsed);
        mark = lap(stages, Stage.FETCH, mark);
        progress.report(1, total);
        try (DecodedImage decoded = decoder.decode(encoded, spec.source(), scaleNeed(spec))) {
            mark = lap(stages, Stage.DECODE, mark);
            progress.report(2, total);
            BufferedImage base = Operations.apply(decoded.image(), spec.operations(), watermarks::get);
            // After shrink on load, plan each output on the source's full size so the output is the same
            // pixel for pixel as without it; with geometry-changing source operations there is no shrink.
            int planW = decoded.subsampling() == 1 ? base.getWidth() : displayedWidth(decoded, spec);
            int planH = decoded.subsampling() == 1 ? base.getHeight() : displayedHeight(decoded, spec);
            List<JobResult.OutputResult> results = new ArrayList<>();
            ByteArrayOutputStream inline = new ByteArrayOutputStream();
            int step = 2;
            for (OutputSpec output : spec.outputs()) {
                BufferedImage sized = Resize.apply(base, output, planW, planH);
                BufferedImage done = Operations.apply(sized, output.operations(), watermarks::get);
                mark = lap(stages, Stage.TRANSFORM, mark);
                byte[] bytes = ImageEncoder.encode(done, output.format(), output.quality(), output.progressive(),
                        output.backgroundRgb());
                mark = lap(stages, Stage.ENCODE, mark);
                if (output.isInline()) {
                    results.add(new JobResult.OutputResult(OutputSpec.INLINE, done.getWidth(), done.getHeight(),
                            bytes.length, output.format().jsonName(), (long) inline.size()));
                    inline.writeBytes(bytes);
                } else {
                    String location = sinks.store(output.destination(), bytes, output.format().mediaType());
                    mark = lap(stages, Stage.STORE, mark);
                    results.add(new JobResult.OutputResult(location, done.getWidth(), done.getHeight(), bytes.length,
                            output.format().jsonName(), null));
                }
                progress.report(++step, total);
                mark = System.nanoTime();
            }
            JobResult result = new JobResult(spec.id(),
                    new JobResult.SourceInfo(spec.source(), decoded.width(), decoded.height(), decoded.format(),
                            decoded.orientation(), encoded.length),
                    results);
            return new Outcome(new Payload(JobJson.write(result), inline.toByteArray()).toBytes(), spec, result);
        }
    }

    /** Records the time since {@code since} as {@code stage}; returns now, the start of the next stage. */
    private static long lap(Stages stages, Stage stage, long since) {
        long now = System.nanoTime();
        stages.record(stage, now - since);
        return now;
    }

    private byte[] fetch(JobSpec spec, Payload payload) {
        if (spec.isInlineSource()) {
            if (!payload.hasBlob()) {
                throw new ImageJobException(Reason.BAD_SPEC, "source is \"inline\" but the payload has no bytes after"
                        + " the JSON; append a NUL byte and the image (see the README's inline framing)");
            }
            if (payload.blob().length > maxSourceBytes) {
                throw new ImageJobException(Reason.TOO_LARGE, "inline source is " + payload.blob().length
                        + " bytes, over the " + maxSourceBytes + "-byte limit; raise --max-download-bytes");
            }
            return payload.blob();
        }
        if (payload.hasBlob()) {
            throw new ImageJobException(Reason.BAD_SPEC, "the payload carries " + payload.blob().length
                    + " bytes after the JSON but source is \"" + spec.source() + "\"; use \"source\": \"inline\"");
        }
        return sources.fetch(spec.source());
    }

    /**
     * How small the outputs are relative to the source, for shrink on load. Operations that count in
     * source pixels (crop rectangles, blur and sharpen radii, watermark sizes) would change meaning on
     * a shrunk image, so with any of them among the source operations every pixel is decoded.
     */
    static ImageDecoder.ScaleNeed scaleNeed(JobSpec spec) {
        for (Operation op : spec.operations()) {
            if (!(op instanceof Operation.Rotate || op instanceof Operation.Flip || op instanceof Operation.Grayscale)) {
                return ImageDecoder.ScaleNeed.FULL;
            }
        }
        boolean swap = quarterTurns(spec) % 2 == 1;
        return (width, height) -> {
            double largest = 0;
            for (OutputSpec output : spec.outputs()) {
                largest = Math.max(largest, swap ? Resize.plan(output, height, width).scale()
                        : Resize.plan(output, width, height).scale());
            }
            return largest;
        };
    }

    private static int quarterTurns(JobSpec spec) {
        int turns = 0;
        for (Operation op : spec.operations()) {
            if (op instanceof Operation.Rotate r) {
                turns += r.degrees() / 90;
            }
        }
        return turns;
    }

    private static int displayedWidth(DecodedImage decoded, JobSpec spec) {
        return quarterTurns(spec) % 2 == 1 ? decoded.height() : decoded.width();
    }

    private static int displayedHeight(DecodedImage decoded, JobSpec spec) {
        return quarterTurns(spec) % 2 == 1 ? decoded.width() : decoded.height();
    }
}
