package dev.gearfarm.gearmand.engine;

import java.util.List;

/** Read-only snapshots of engine state for the admin protocol; built on the engine thread. */
public final class Views {
    private Views() {
    }

    /** One function's counters as {@code status} and {@code prioritystatus} print them. */
    public record FunctionView(String name, int total, int running, int workers, int high, int normal, int low) {
    }

    /** One connection as {@code workers} prints it. */
    public record ConnectionView(long id, String host, String clientId, List<String> functions) {
    }

    /** One job as {@code show jobs} and {@code show unique jobs} print it. */
    public record JobView(String handle, String unique, int retries, boolean ignored, boolean background) {
    }
}
