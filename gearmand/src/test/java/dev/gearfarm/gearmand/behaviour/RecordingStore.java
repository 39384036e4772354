package dev.gearfarm.gearmand.behaviour;

import dev.gearfarm.gearmand.store.JobStore;
import dev.gearfarm.gearmand.store.StoreException;
import dev.gearfarm.gearmand.store.StoredJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;

/** A store in memory that a test can hold (writes wait for {@link #release}) or break. */
final class RecordingStore implements JobStore {
    /** Written by the store thread while tests read it: assert on a copy (Map.copyOf), never on the live map. */
    final Map<Long, StoredJob> jobs = new ConcurrentSkipListMap<>();
    private final List<StoredJob> initial;
    private final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
    volatile String brokenBecause;
    volatile int writes;

    RecordingStore(StoredJob... initial) {
        this.initial = List.of(initial);
    }

    /** Makes every write wait until {@link #release}. */
    void hold() {
        gate.drainPermits();
    }

    void release() {
        gate.release(Integer.MAX_VALUE - gate.availablePermits());
    }

    @Override
    public String describe() {
        return "recording store";
    }

    @Override
    public List<StoredJob> replay() {
        initial.forEach(job -> jobs.put(job.id(), job));
        return new ArrayList<>(jobs.values());
    }

    @Override
    public void write(List<StoredJob> adds, List<Long> removes) {
        gate.acquireUninterruptibly();
        gate.release();
        String broken = brokenBecause;
        if (broken != null) {
            throw new StoreException(broken);
        }
        adds.forEach(job -> jobs.put(job.id(), job));
        removes.forEach(jobs::remove);
        writes++;
    }

    @Override
    public void close() {
        release();
    }
}
