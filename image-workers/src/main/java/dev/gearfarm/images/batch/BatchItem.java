package dev.gearfarm.images.batch;

import dev.gearfarm.images.spec.JobSpec;
import dev.gearfarm.images.spec.OutputSpec;
import java.util.List;

/**
 * One input of a batch and the leaf job that makes its outputs.
 *
 * @param input   how reports name it: the path relative to the batch root, or the URL
 * @param spec    the leaf {@code thumbnail} job; its outputs' destinations are the final locations
 * @param problem why it cannot be run (e.g. its output name collides with another input's), or null
 */
public record BatchItem(String input, JobSpec spec, String problem) {

    /** Where the outputs go, in the order of the spec's outputs. */
    public List<String> destinations() {
        return spec.outputs().stream().map(OutputSpec::destination).toList();
    }
}
