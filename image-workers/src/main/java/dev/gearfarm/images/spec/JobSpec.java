package dev.gearfarm.images.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a {@code thumbnail} job asks for: one source, operations on it, one or more outputs.
 *
 * <p>{@code source} is {@code http(s)://…}, {@code s3://bucket/key}, a file path (absolute, or
 * {@code file:///…}) under the worker's allowed roots, or {@code inline} for bytes carried in the
 * payload after the JSON (see {@link Payload}). The source is decoded once for all outputs.
 *
 * @param id optional; echoed in the result and the worker's log line
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(String id, String source, List<Operation> operations, List<OutputSpec> outputs) {
    /** The most outputs one job may ask for. */
    public static final int MAX_OUTPUTS = 32;
    /** The source that means "the bytes after the JSON in this payload". */
    public static final String INLINE = "inline";

    public JobSpec {
        SpecChecks.check(source != null && !source.isBlank(),
                "a job needs a source (a URL, s3://bucket/key, a file path or \"inline\")");
        operations = operations == null ? List.of() : List.copyOf(operations);
        SpecChecks.check(outputs != null && !outputs.isEmpty(), "a job needs at least one output");
        SpecChecks.check(outputs.size() <= MAX_OUTPUTS,
                "a job may have at most " + MAX_OUTPUTS + " outputs, got " + outputs.size());
        outputs = List.copyOf(outputs);
    }

    /** A job without an id and without source operations. */
    public static JobSpec of(String source, List<OutputSpec> outputs) {
        return new JobSpec(null, source, List.of(), outputs);
    }

    public boolean isInlineSource() {
        return INLINE.equals(source);
    }
}
