package dev.gearfarm.images.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** What a {@code thumbnail} job returns: the source as found, and one entry per output in order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResult(String id, SourceInfo source, List<OutputResult> outputs) {
    public JobResult {
        outputs = List.copyOf(outputs);
    }

    /**
     * The decoded source.
     *
     * @param orientation the EXIF orientation found (1 to 8; 1 when there was none), already applied
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceInfo(String reference, int width, int height, String format, int orientation, long bytes) {}

    /**
     * One stored (or returned) output.
     *
     * @param location where it went: an absolute path, {@code s3://bucket/key}, or {@code inline}
     * @param offset for an inline output, where its bytes start in the blob after the result JSON
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutputResult(String location, int width, int height, long bytes, String format, Long offset) {}
}
