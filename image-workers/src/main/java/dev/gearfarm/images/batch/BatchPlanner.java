package dev.gearfarm.images.batch;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.spec.JobSpec;
import dev.gearfarm.images.spec.OutputSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a {@link BatchManifest} into leaf jobs (the "map" step): lists the source, keeps the inputs
 * the filter takes, and gives each the outputs named by {@link OutputNames}. An output folder that lies
 * inside the source folder is not listed as input, so a rerun does not thumbnail its own thumbnails.
 */
public final class BatchPlanner {
    /** The most inputs one batch may have. */
    public static final int DEFAULT_MAX_ITEMS = 1_000_000;

    private BatchPlanner() {}

    /**
     * The leaf jobs for {@code manifest}, in a stable order (sorted paths, or the URLs as given).
     *
     * @throws ImageJobException naming the source when it cannot be listed or has too many inputs
     */
    public static List<BatchItem> plan(BatchManifest manifest, Store store, int maxItems) {
        List<String[]> inputs = new ArrayList<>(); // {input name, source reference}
        InputFilter filter = InputFilter.of(manifest.include());
        if (manifest.urls() != null) {
            for (String url : manifest.urls()) {
                inputs.add(new String[] {url, url});
            }
        } else {
            String root = manifest.source();
            List<String> names;
            try {
                names = store.list(root, manifest.recursive());
            } catch (IllegalArgumentException e) {
                throw new ImageJobException(ImageJobException.Reason.NOT_FOUND, e.getMessage(), e);
            }
            List<String> excluded = excludedPrefixes(root, manifest.outputs());
            for (String name : names) {
                if (filter.accepts(name) && excluded.stream().noneMatch(name::startsWith)) {
                    inputs.add(new String[] {name, reference(root, name)});
                }
            }
        }
        if (inputs.size() > maxItems) {
            throw new ImageJobException(ImageJobException.Reason.TOO_LARGE, (manifest.source() != null
                    ? manifest.source() : "the URL list") + " has " + inputs.size() + " inputs, over the limit of "
                    + maxItems + "; split the batch (e.g. by sub-folder) or use --include");
        }
        List<BatchItem> items = new ArrayList<>(inputs.size());
        Map<String, String> owners = new HashMap<>();
        for (String[] input : inputs) {
            String relative = manifest.urls() != null ? urlPath(input[0]) : input[0];
            List<OutputSpec> outputs = new ArrayList<>();
            String problem = null;
            for (OutputSpec template : manifest.outputs()) {
                String destination = OutputNames.resolve(template.destination(),
                        OutputNames.relativeName(relative, template));
                String earlier = owners.putIfAbsent(destination, input[0]);
                if (earlier != null && problem == null) {
                    problem = "its output " + destination + " is also the output of " + earlier
                            + "; rename one of them";
                }
                outputs.add(withDestination(template, destination));
            }
            items.add(new BatchItem(input[0], new JobSpec(null, input[1], List.of(), outputs), problem));
        }
        return items;
    }

    /** Whether every output of {@code item} already exists (and so is complete). */
    public static boolean done(BatchItem item, Store store) {
        for (String destination : item.destinations()) {
            if (!store.exists(destination)) {
                return false;
            }
        }
        return true;
    }

    /** {@code o} with another destination. */
    public static OutputSpec withDestination(OutputSpec o, String destination) {
        return new OutputSpec(o.width(), o.height(), o.fit(), o.gravity(), o.upscale(), o.format(), o.quality(),
                o.progressive(), o.background(), o.operations(), destination);
    }

    private static String reference(String root, String name) {
        if (root.startsWith("s3://")) {
            return OutputNames.resolve(root, name);
        }
        return LocalStore.path(root).toAbsolutePath().normalize().resolve(name).toString();
    }

    /** Relative prefixes of the source folder that are output folders. */
    private static List<String> excludedPrefixes(String root, List<OutputSpec> outputs) {
        List<String> prefixes = new ArrayList<>();
        for (OutputSpec output : outputs) {
            String destination = output.destination();
            if (root.startsWith("s3://") != destination.startsWith("s3://")) {
                continue;
            }
            String prefix;
            if (root.startsWith("s3://")) {
                String r = root.endsWith("/") ? root : root + "/";
                String d = destination.endsWith("/") ? destination : destination + "/";
                prefix = d.startsWith(r) ? d.substring(r.length()) : null;
            } else {
                Path r = LocalStore.path(root).toAbsolutePath().normalize();
                Path d = LocalStore.path(destination).toAbsolutePath().normalize();
                prefix = d.startsWith(r) && !d.equals(r) ? r.relativize(d).toString().replace('\\', '/') + "/" : null;
            }
            if (prefix != null && !prefix.isEmpty()) {
                prefixes.add(prefix);
            }
        }
        return prefixes;
    }

    /** The name a URL input's outputs are made from: host and path, query dropped. */
    static String urlPath(String url) {
        try {
            URI uri = URI.create(url);
            String host = uri.getHost() == null ? "" : uri.getHost();
            String path = uri.getPath() == null ? "" : uri.getPath();
            String joined = (host + "/" + path).replaceAll("/+", "/").replaceAll("^/", "");
            // ".." segments would climb out of the output root.
            joined = joined.replace("..", "_");
            return joined.isEmpty() || joined.endsWith("/") ? joined + "image" : joined;
        } catch (IllegalArgumentException e) {
            throw new ImageJobException(ImageJobException.Reason.BAD_SPEC, "\"" + url + "\" is not a URL: "
                    + e.getMessage());
        }
    }
}
