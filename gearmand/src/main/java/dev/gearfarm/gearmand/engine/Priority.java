package dev.gearfarm.gearmand.engine;

/** Job priority; the ordinal is the queue index and the order in which workers are served. */
public enum Priority {
    HIGH,
    NORMAL,
    LOW;

    static final Priority[] ALL = values();
}
