package dev.gearfarm.gearmand.net;

import dev.gearfarm.gearmand.engine.Engine;
import io.netty.channel.EventLoop;

/**
 * Runs an inline engine once per event-loop iteration rather than once per readable connection: reads
 * from every ready connection are handled first, then one drain sends each destination one write.
 */
final class InlineDrain {
    private final Engine engine;
    private final EventLoop loop;
    private boolean scheduled;
    private final Runnable task = this::run;

    InlineDrain(Engine engine, EventLoop loop) {
        this.engine = engine;
        this.loop = loop;
    }

    /** Asks for a drain after the loop's current I/O; called on the loop. */
    void request() {
        if (!scheduled) {
            scheduled = true;
            loop.execute(task);
        }
    }

    private void run() {
        scheduled = false;
        engine.runPending();
    }
}
