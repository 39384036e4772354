package dev.gearfarm.images.batch;

import java.util.List;

/**
 * Where batch inputs are listed and finished outputs looked for: a local folder or an S3 prefix. The
 * sinks write atomically (a file by rename, an S3 object by a single PUT), so an output that exists is
 * complete; that is what resuming relies on.
 */
public interface Store {
    /** Whether this store serves {@code location} ({@code s3://…} or a path), judged by its form. */
    boolean handles(String location);

    /**
     * The files under {@code root}, as sorted {@code /}-separated paths relative to it.
     *
     * @param recursive whether to descend into sub-folders (or past the next {@code /} of a prefix)
     * @throws IllegalArgumentException naming the root when it does not exist or cannot be read
     */
    List<String> list(String root, boolean recursive);

    /** Whether a complete object or file is at {@code location}. */
    boolean exists(String location);

    /** A store that asks the first of {@code stores} that handles each location. */
    static Store firstOf(List<Store> stores) {
        List<Store> all = List.copyOf(stores);
        return new Store() {
            @Override
            public boolean handles(String location) {
                return all.stream().anyMatch(s -> s.handles(location));
            }

            @Override
            public List<String> list(String root, boolean recursive) {
                return pick(root).list(root, recursive);
            }

            @Override
            public boolean exists(String location) {
                return pick(location).exists(location);
            }

            private Store pick(String location) {
                for (Store store : all) {
                    if (store.handles(location)) {
                        return store;
                    }
                }
                throw new IllegalArgumentException(location.startsWith("s3://")
                        ? location + ": S3 is not configured; give the S3 endpoint and credentials"
                                + " (--s3-endpoint, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"
                        : location + ": not a folder path or s3://bucket/prefix");
            }
        };
    }
}
