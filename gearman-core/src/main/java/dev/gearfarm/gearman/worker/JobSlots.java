package dev.gearfarm.gearman.worker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The worker's concurrency limit. A session takes a slot before it asks its server for a job, so a job
 * that arrives always has a thread to run on; the slot is given back when the job's result is sent, or
 * when the server has no job. A session that finds no slot free is remembered and woken when one is, so
 * nothing polls. Guarded by this; sessions are woken outside the lock.
 */
final class JobSlots {
    private final int capacity;
    private int free;
    private final Set<WorkerSession> starved = new LinkedHashSet<>();

    JobSlots(int capacity) {
        this.capacity = capacity;
        this.free = capacity;
    }

    /** Takes a slot, or remembers {@code session} to wake when one is freed. */
    synchronized boolean acquire(WorkerSession session) {
        if (free > 0) {
            free--;
            return true;
        }
        starved.add(session);
        return false;
    }

    /** Gives a slot back and wakes every session that wanted one; the first to ask gets it. */
    void release() {
        List<WorkerSession> waiting;
        synchronized (this) {
            free++;
            notifyAll();
            waiting = new ArrayList<>(starved);
            starved.clear();
        }
        waiting.forEach(WorkerSession::wake);
    }

    /** Forgets a session whose connection closed. */
    synchronized void forget(WorkerSession session) {
        starved.remove(session);
    }

    /** Slots taken: jobs running plus grab requests awaiting their answer. */
    synchronized int busy() {
        return capacity - free;
    }

    /** Waits until no slot is taken, at most {@code nanos}; whether that happened. */
    synchronized boolean awaitIdle(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (free < capacity) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
