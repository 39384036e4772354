package dev.gearfarm.gearmand.worker;

import dev.gearfarm.gearman.client.JobListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a worker reported while a job ran, as {@code data:TEXT}, {@code warning:TEXT}, {@code status:N/D}. */
public final class RecordingListener implements JobListener {
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** What arrived so far, in order. */
    public List<String> events() {
        return events;
    }

    @Override
    public void onData(byte[] data) {
        events.add("data:" + new String(data, StandardCharsets.UTF_8));
    }

    @Override
    public void onWarning(byte[] data) {
        events.add("warning:" + new String(data, StandardCharsets.UTF_8));
    }

    @Override
    public void onStatus(long numerator, long denominator) {
        events.add("status:" + numerator + "/" + denominator);
    }
}
