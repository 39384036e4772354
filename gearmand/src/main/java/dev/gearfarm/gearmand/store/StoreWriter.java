package dev.gearfarm.gearmand.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code gearmand-store} thread: takes the engine's adds and removes without blocking it, writes
 * whatever has piled up as one batch (one fsync or one transaction: group commit), and reports each
 * batch's adds back through a {@link Listener}.
 *
 * <p>The engine stages its writes ({@link #add}, {@link #remove}) while it works through a batch of
 * events and publishes them with one {@link #flush} at the end, so the jobs of one network read become
 * one store batch. While a batch is written, the next one collects, so the more load, the bigger the
 * batches and the fewer commits per job. Removes that fail are kept and retried with later batches; a job whose remove
 * never lands is replayed after a restart (at-least-once).
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);

    private static final int MAX_BATCH = 8192;
    private static final long MAX_BATCH_BYTES = 16L << 20;
    /** Failed removes kept for retry; beyond this they are dropped (the jobs will run again after a restart). */
    private static final int MAX_RETRIED_REMOVES = 1_000_000;
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The outcome of one batch's adds: every id in {@code added} is durable, or none is. */
    public record Completion(long[] added, String failure) {
        /** Whether the adds are durable. */
        public boolean ok() {
            return failure == null;
        }
    }

    /** Receives completions on the store thread; must hand them on and return at once. */
    @FunctionalInterface
    public interface Listener {
        void completed(Completion completion);
    }

    private record Remove(long id) {
    }

    private final JobStore store;
    /** Published chunks of staged ops, each a {@code List} of {@link StoredJob} and {@link Remove}. */
    private final Queue<List<Object>> ops = new ConcurrentLinkedQueue<>();
    /** Ops staged by the engine thread since its last {@link #flush}. */
    private List<Object> staged = new ArrayList<>();
    /** Ops taken from a chunk that did not fit the previous batch. */
    private List<Object> carried = List.of();
    private int carriedFrom;
    private final Thread thread;
    private final List<Long> retriedRemoves = new ArrayList<>();
    private volatile boolean parked;
    private volatile boolean running = true;
    private Listener listener;
    private boolean failing;
    private long batches;
    private long added;
    private long removed;

    public StoreWriter(JobStore store) {
        this.store = store;
        this.thread = new Thread(this::run, "gearmand-store");
    }

    /** The store this writer drives. */
    public JobStore store() {
        return store;
    }

    /** Starts the thread; completions go to {@code listener}. */
    public void start(Listener listener) {
        this.listener = listener;
        thread.start();
    }

    /** Stages a job to store; its completion comes after a {@link #flush}. Engine thread only. */
    public void add(StoredJob job) {
        staged.add(job);
    }

    /** Stages the removal of a stored job. Engine thread only. */
    public void remove(long id) {
        staged.add(new Remove(id));
    }

    /** Hands the staged ops to the store thread. Engine thread only; never blocks. */
    public void flush() {
        if (staged.isEmpty()) {
            return;
        }
        ops.offer(staged);
        staged = new ArrayList<>();
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long retryAt = 0;
        while (true) {
            boolean last = !running;
            List<StoredJob> adds = new ArrayList<>();
            List<Long> removes = new ArrayList<>();
            boolean retryDue = !retriedRemoves.isEmpty() && System.nanoTime() - retryAt >= 0;
            collect(adds, removes);
            if (adds.isEmpty() && removes.isEmpty() && !(retryDue || last && !retriedRemoves.isEmpty())) {
                if (last) {
                    break;
                }
                parked = true;
                if (ops.isEmpty() && carriedFrom == carried.size() && running) {
                    if (retriedRemoves.isEmpty()) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, Math.max(1, retryAt - System.nanoTime()));
                    }
                }
                parked = false;
                continue;
            }
            removes.addAll(retriedRemoves);
            retriedRemoves.clear();
            String failure = writeBatch(adds, removes);
            if (failure != null) {
                retryAt = System.nanoTime() + RETRY_NANOS;
                keepForRetry(removes);
                if (last) {
                    break;
                }
            }
            if (!adds.isEmpty()) {
                long[] ids = new long[adds.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = adds.get(i).id();
                }
                listener.completed(new Completion(ids, failure));
            }
        }
        log.info("persistent queue {}: {} batches written, {} adds, {} removes", store.describe(), batches, added,
                removed);
        if (!retriedRemoves.isEmpty()) {
            log.warn("stopping with {} removals the persistent queue {} did not take; those jobs will run again"
                    + " after a restart", retriedRemoves.size(), store.describe());
        }
    }

    private void collect(List<StoredJob> adds, List<Long> removes) {
        long bytes = 0;
        while (adds.size() + removes.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES) {
            if (carriedFrom == carried.size()) {
                List<Object> chunk = ops.poll();
                if (chunk == null) {
                    return;
                }
                carried = chunk;
                carriedFrom = 0;
            }
            Object op = carried.get(carriedFrom++);
            if (op instanceof StoredJob job) {
                adds.add(job);
                bytes += job.data().length + 64;
            } else {
                removes.add(((Remove) op).id());
            }
        }
    }

    /** Writes one batch; returns null, or what went wrong in words for the clients. */
    private String writeBatch(List<StoredJob> adds, List<Long> removes) {
        try {
            store.write(adds, removes);
            batches++;
            added += adds.size();
            removed += removes.size();
            if (failing) {
                failing = false;
                log.warn("persistent queue {} works again", store.describe());
            }
            return null;
        } catch (RuntimeException | Error e) {
            String cause = describe(e);
            if (!failing) {
                failing = true;
                log.error("persistent queue {} failed: {}; background submissions get ERROR QUEUE_ERROR until it"
                        + " works again", store.describe(), cause, e);
            } else {
                log.warn("persistent queue {} still failing: {}", store.describe(), cause);
            }
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
            return "persistent queue " + store.describe() + " failed: " + cause;
        }
    }

    private void keepForRetry(List<Long> removes) {
        int room = MAX_RETRIED_REMOVES - retriedRemoves.size();
        if (removes.size() > room) {
            log.warn("dropping {} removals the persistent queue {} did not take; those jobs will run again after"
                    + " a restart", removes.size() - room, store.describe());
        }
        retriedRemoves.addAll(removes.subList(0, Math.min(room, removes.size())));
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getMessage() + ")";
        }
        return message;
    }

    /** Writes what is queued, stops the thread and closes the store. Call after the engine has stopped. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
