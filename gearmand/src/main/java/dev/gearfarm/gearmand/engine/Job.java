package dev.gearfarm.gearmand.engine;

import java.util.ArrayList;
import java.util.List;

/** A submitted job. Engine-thread only. */
final class Job {
    /** STORING: a new background job whose add the store has not acknowledged yet; not runnable. */
    enum State { STORING, SCHEDULED, QUEUED, RUNNING, DONE }

    final String handle;
    final FunctionQueue function;
    final String unique;
    final byte[] data;
    final String reducer;
    final Priority priority;
    final long sequence;
    /** Unix time in seconds before which the job must not run; 0 runs at once. */
    final long runAfterEpoch;
    /** Key in the function's unique index, empty when the job does not coalesce. */
    final String uniqueKey;
    /** True when any submitter asked for background: such a job outlives its listeners. */
    boolean background;

    State state;
    Session worker;
    int retries;
    /** Whether a CAN_DO_TIMEOUT timer runs for the current assignment; it is dropped when the job stops running. */
    boolean timed;
    String numerator = "0";
    String denominator = "0";
    /** Set when a queued job was cancelled or abandoned: it stays in its deque until polled. */
    boolean removed;
    /** Whether the store holds the job or an add of it is in flight: it must be removed when the job ends. */
    boolean stored;
    /** System.nanoTime() at submission (or replay), for latency metrics. */
    final long submittedNanos = System.nanoTime();
    /** Background submitters whose JOB_CREATED waits for the store to acknowledge the job; null when none. */
    List<Session> awaitingStore;

    /** Foreground submitters waiting on the job, null when there are none (most background jobs). */
    private List<Session> listeners;

    Job(String handle, FunctionQueue function, String unique, String uniqueKey, byte[] data, String reducer,
            Priority priority, long sequence, long runAfterEpoch, boolean background) {
        this.handle = handle;
        this.function = function;
        this.unique = unique;
        this.uniqueKey = uniqueKey;
        this.data = data;
        this.reducer = reducer;
        this.priority = priority;
        this.sequence = sequence;
        this.runAfterEpoch = runAfterEpoch;
        this.background = background;
    }

    /**
     * Attaches one foreground submission. A connection that submits the same unique twice is attached
     * twice and gets each result packet twice, as from C gearmand: clients such as Perl's wait for one
     * terminal packet per submission.
     */
    void addListener(Session session) {
        if (listeners == null) {
            listeners = new ArrayList<>(1);
        }
        listeners.add(session);
        session.waitingOn.add(this);
    }

    /** Detaches every submission of a connection. */
    void removeListener(Session session) {
        if (listeners != null) {
            listeners.removeIf(listener -> listener == session);
        }
    }

    List<Session> listeners() {
        return listeners == null ? List.of() : listeners;
    }

    void detachListeners() {
        if (listeners != null) {
            for (Session listener : listeners) {
                listener.waitingOn.remove(this);
            }
            listeners = null;
        }
    }

    int listenerCount() {
        return listeners == null ? 0 : listeners.size();
    }
}
