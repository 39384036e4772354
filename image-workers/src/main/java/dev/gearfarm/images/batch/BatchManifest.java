package dev.gearfarm.images.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.spec.JobSpec;
import dev.gearfarm.images.spec.OutputSpec;
import java.util.List;

/**
 * What a {@code thumbnail_batch} job asks for: the inputs (a folder or an S3 prefix, or a list of
 * URLs) and the outputs every input gets.
 *
 * <pre>{@code
 * {"source": "/srv/photos", "recursive": true, "include": "*.jpg",
 *  "outputs": [{"width": 256, "height": 256, "format": "jpeg", "quality": 85,
 *               "destination": "s3://thumbs/photos"}],
 *  "inFlight": 16, "skipExisting": true}
 * }</pre>
 *
 * @param source       a folder path (under the worker's allowed roots) or {@code s3://bucket/prefix}
 * @param urls         instead of {@code source}: image URLs (or {@code s3://} keys), each one input
 * @param recursive    descend into sub-folders (default false)
 * @param include      a glob choosing the inputs (default: image-looking extensions; see {@link InputFilter})
 * @param outputs      each output's settings; its {@code destination} is the output <em>root</em> (a folder
 *                     or {@code s3://bucket/prefix}), under which the input gets its {@link OutputNames name}
 * @param inFlight     leaf jobs submitted at once (default {@value #DEFAULT_IN_FLIGHT})
 * @param skipExisting skip inputs whose outputs all exist already (default true)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchManifest(String source, List<String> urls, Boolean recursive, String include,
        List<OutputSpec> outputs, Integer inFlight, Boolean skipExisting) {

    public static final int DEFAULT_IN_FLIGHT = 16;
    /** The most leaf jobs one batch keeps in flight. */
    public static final int MAX_IN_FLIGHT = 1024;

    public BatchManifest {
        boolean hasSource = source != null && !source.isBlank();
        boolean hasUrls = urls != null && !urls.isEmpty();
        check(hasSource != hasUrls, "a batch manifest needs either \"source\" (a folder or s3://bucket/prefix)"
                + " or \"urls\" (a list), not " + (hasSource ? "both" : "neither"));
        urls = hasUrls ? List.copyOf(urls) : null;
        recursive = recursive != null && recursive;
        check(outputs != null && !outputs.isEmpty(), "a batch manifest needs at least one output");
        check(outputs.size() <= JobSpec.MAX_OUTPUTS,
                "a batch may have at most " + JobSpec.MAX_OUTPUTS + " outputs, got " + outputs.size());
        outputs = List.copyOf(outputs);
        for (OutputSpec output : outputs) {
            check(!output.isInline(), "a batch output's destination is the folder or s3://bucket/prefix its"
                    + " files go under, not \"inline\"");
        }
        inFlight = inFlight == null ? DEFAULT_IN_FLIGHT : inFlight;
        check(inFlight >= 1 && inFlight <= MAX_IN_FLIGHT,
                "inFlight must be 1.." + MAX_IN_FLIGHT + ", got " + inFlight);
        skipExisting = skipExisting == null || skipExisting;
        if (include != null) {
            try {
                InputFilter.of(include);
            } catch (IllegalArgumentException e) {
                check(false, e.getMessage());
            }
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new ImageJobException(ImageJobException.Reason.BAD_SPEC, message);
        }
    }
}
