package dev.gearfarm.gearman.client;

/** A job's place in its function's queue: the server hands out high jobs first, then normal, then low. */
public enum Priority {
    HIGH,
    NORMAL,
    LOW
}
