package dev.gearfarm.images.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link BatchService} runs: which servers it serves and submits leaves to, how many batches run at
 * once, and its limits. Build with {@link #builder()}.
 *
 * @param servers    job servers, {@code host:port}
 * @param slots      batches run at once; each holds a thread while its leaves run elsewhere
 * @param maxItems   inputs one batch may have
 * @param jobTimeout how long one leaf job may take before it counts as failed
 * @param allowRoots folders local batch sources must lie under
 * @param stores     where sources are listed and outputs looked for; a {@link LocalStore} is always added
 */
public record BatchOptions(List<String> servers, int slots, int maxItems, Duration jobTimeout, List<Path> allowRoots,
        List<Store> stores) {
    public static final int DEFAULT_SLOTS = 2;
    public static final int DEFAULT_MAX_ITEMS = BatchPlanner.DEFAULT_MAX_ITEMS;
    public static final Duration DEFAULT_JOB_TIMEOUT = LeafRunner.DEFAULT_JOB_TIMEOUT;

    public BatchOptions {
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("a batch service needs at least one server (host:port)");
        }
        servers = List.copyOf(servers);
        if (slots < 1) {
            throw new IllegalArgumentException("batch slots must be at least 1, got " + slots);
        }
        if (maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be at least 1, got " + maxItems);
        }
        if (jobTimeout == null || jobTimeout.isNegative() || jobTimeout.isZero()) {
            throw new IllegalArgumentException("jobTimeout must be positive, got " + jobTimeout);
        }
        allowRoots = List.copyOf(allowRoots);
        List<Store> all = new ArrayList<>(stores);
        if (all.stream().noneMatch(LocalStore.class::isInstance)) {
            all.add(new LocalStore());
        }
        stores = List.copyOf(all);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link BatchOptions}; unset values take the {@code DEFAULT_*} constants. */
    public static final class Builder {
        private List<String> servers = List.of();
        private int slots = DEFAULT_SLOTS;
        private int maxItems = DEFAULT_MAX_ITEMS;
        private Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
        private List<Path> allowRoots = List.of();
        private List<Store> stores = List.of();

        private Builder() {}

        public Builder servers(List<String> servers) {
            this.servers = servers;
            return this;
        }

        public Builder slots(int slots) {
            this.slots = slots;
            return this;
        }

        public Builder maxItems(int maxItems) {
            this.maxItems = maxItems;
            return this;
        }

        public Builder jobTimeout(Duration jobTimeout) {
            this.jobTimeout = jobTimeout;
            return this;
        }

        public Builder allowRoots(List<Path> allowRoots) {
            this.allowRoots = allowRoots;
            return this;
        }

        /** Stores besides the local one, e.g. an {@code S3Store}. */
        public Builder stores(List<Store> stores) {
            this.stores = stores;
            return this;
        }

        public BatchOptions build() {
            return new BatchOptions(servers, slots, maxItems, jobTimeout, allowRoots, stores);
        }
    }
}
