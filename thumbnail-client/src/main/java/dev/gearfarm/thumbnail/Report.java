package dev.gearfarm.thumbnail;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The batch report: one JSON object per line and per input, written as outcomes arrive (so an
 * interrupted batch still leaves what it did), flushed line by line.
 *
 * <pre>{@code
 * {"input":"2024/cat.jpg","outputs":[{"location":"/out/2024/cat.256.jpg","width":256,"height":171,"bytes":10803,"format":"jpeg"}]}
 * {"input":"old.jpg","skipped":true,"outputs":[{"location":"/out/old.256.jpg"}]}
 * {"input":"broken.jpg","error":"broken.jpg: not a JPEG (truncated at byte 312)"}
 * }</pre>
 */
final class Report implements AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** One report line. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(String input, Boolean skipped, List<Output> outputs, String error) {}

    /** One output in a report line; only the location for skipped inputs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Output(String location, Integer width, Integer height, Long bytes, String format) {
        static Output of(JobResult.OutputResult r, String location) {
            return new Output(location, r.width(), r.height(), r.bytes(), r.format());
        }
    }

    private final Path file;
    private final BufferedWriter writer;

    private Report(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * The default report file: {@code OUT/.thumbnail-report-<UTC time>.jsonl} for a local output folder
     * (hidden, so a later batch over OUT does not take it as input), {@code ./thumbnail-report-<UTC
     * time>.jsonl} when the output is in S3.
     */
    static Path defaultFile(String out, Instant now) {
        String stamp = STAMP.format(now);
        if (out.startsWith("s3://")) {
            return Path.of("thumbnail-report-" + stamp + ".jsonl");
        }
        return Path.of(out).resolve(".thumbnail-report-" + stamp + ".jsonl");
    }

    static Report create(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new Report(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw CliException.usage("cannot write the report " + file + ": " + e.getMessage()
                    + "; choose another with --report FILE");
        }
    }

    Path file() {
        return file;
    }

    void write(Line line) {
        try {
            writer.write(JobJson.mapper().writeValueAsString(line));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the report " + file, e);
        }
    }
}
