package dev.gearfarm.gearmand.engine;

import dev.gearfarm.gearman.protocol.Packet;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The queues, counters and workers of one function name. Engine-thread only. */
final class FunctionQueue {
    final String name;
    /** The name as sent in JOB_ASSIGN, encoded once. */
    final byte[] nameBytes;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Job>[] queues = new ArrayDeque[Priority.ALL.length];
    /** Live queued jobs per priority (removed jobs still in a deque are not counted). */
    final int[] queued = new int[Priority.ALL.length];
    /** Per-priority queue limit from {@code maxqueue}; 0 or less is unlimited. */
    final int[] maxQueue = new int[Priority.ALL.length];
    int running;
    int scheduled;
    /** New jobs waiting for the store: not counted in {@code status}, but they keep the function alive. */
    int storing;
    final Set<Session> workers = new LinkedHashSet<>();
    final Set<Session> sleepers = new LinkedHashSet<>();
    final Map<String, Job> byUnique = new HashMap<>();

    FunctionQueue(String name) {
        this.name = name;
        this.nameBytes = Packet.latin1(name);
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new ArrayDeque<>();
        }
    }

    int queuedTotal() {
        return queued[0] + queued[1] + queued[2];
    }

    /** What {@code status} calls TOTAL: every job the function holds, queued, scheduled or running. */
    int total() {
        return queuedTotal() + running + scheduled;
    }

    void enqueue(Job job) {
        queues[job.priority.ordinal()].addLast(job);
        queued[job.priority.ordinal()]++;
    }

    /** The next live job of a priority, dropping removed ones from the head; null when none. */
    Job peek(Priority priority) {
        ArrayDeque<Job> queue = queues[priority.ordinal()];
        Job head = queue.peekFirst();
        while (head != null && head.removed) {
            queue.pollFirst();
            head = queue.peekFirst();
        }
        return head;
    }

    Job poll(Priority priority) {
        Job job = peek(priority);
        if (job != null) {
            queues[priority.ordinal()].pollFirst();
            queued[priority.ordinal()]--;
        }
        return job;
    }

    /** Marks a queued job removed; it leaves its deque lazily, but stops counting at once. */
    void unqueue(Job job) {
        job.removed = true;
        queued[job.priority.ordinal()]--;
    }

    boolean hasRunnable() {
        return queuedTotal() > 0;
    }

    boolean isIdle() {
        return total() == 0 && storing == 0 && workers.isEmpty();
    }
}
