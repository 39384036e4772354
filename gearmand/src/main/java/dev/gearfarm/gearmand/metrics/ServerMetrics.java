package dev.gearfarm.gearmand.metrics;

import dev.gearfarm.gearmand.engine.JobEvents;
import dev.gearfarm.gearmand.engine.Views.FunctionView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The server's Prometheus registry. Job counters and histograms are updated from {@link JobEvents} on
 * the engine thread; the per-function queue gauges and the connection gauge are set from a snapshot
 * taken just before each scrape ({@link #update}).
 */
public final class ServerMetrics implements JobEvents {
    private static final Duration SHORTEST = Duration.ofMillis(1);
    private static final Duration LONGEST = Duration.ofHours(1);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Engine thread only. */
    private final Map<String, FunctionMeters> meters = new HashMap<>();
    /** Scrape thread only (under this object's lock). */
    private final Map<String, FunctionGauges> gauges = new HashMap<>();
    private volatile int connections;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("gearmand.connections", this, metrics -> metrics.connections)
                .description("Client, worker and admin connections open now").register(registry);
    }

    /** What the engine looked like at one moment. */
    public record Snapshot(List<FunctionView> functions, int connections) {
    }

    /** Sets the gauges from {@code snapshot}; functions the server no longer knows lose their series. */
    public synchronized void update(Snapshot snapshot) {
        connections = snapshot.connections();
        Set<String> seen = new HashSet<>();
        for (FunctionView function : snapshot.functions()) {
            seen.add(function.name());
            gauges.computeIfAbsent(function.name(), FunctionGauges::new).set(function);
        }
        gauges.entrySet().removeIf(entry -> {
            if (seen.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().remove();
            return true;
        });
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void submitted(String function, boolean background) {
        meters(function).submitted.increment();
    }

    @Override
    public void started(String function, long waitNanos) {
        meters(function).wait.record(waitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retried(String function) {
        meters(function).retried.increment();
    }

    @Override
    public void ended(String function, Outcome outcome, long latencyNanos) {
        FunctionMeters m = meters(function);
        m.ended.get(outcome).increment();
        m.latency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    private FunctionMeters meters(String function) {
        FunctionMeters m = meters.get(function);
        if (m == null) {
            m = new FunctionMeters(function);
            meters.put(function, m);
        }
        return m;
    }

    /** The counters and histograms of one function, created on its first job. */
    private final class FunctionMeters {
        final Counter submitted;
        final Counter retried;
        final Map<Outcome, Counter> ended = new EnumMap<>(Outcome.class);
        final Timer wait;
        final Timer latency;

        FunctionMeters(String function) {
            submitted = Counter.builder("gearmand.jobs.submitted").tag("function", function)
                    .description("Jobs created (a submission that joined an existing job by its unique is not one)")
                    .register(registry);
            retried = Counter.builder("gearmand.jobs.retried").tag("function", function)
                    .description("Jobs queued again because the worker holding them went away")
                    .register(registry);
            for (Outcome outcome : Outcome.values()) {
                Counter.Builder builder = outcome == Outcome.COMPLETED
                        ? Counter.builder("gearmand.jobs.completed")
                                .description("Jobs whose worker sent WORK_COMPLETE")
                        : Counter.builder("gearmand.jobs.failed")
                                .tag("reason", outcome.name().toLowerCase(Locale.ROOT))
                                .description("Jobs that ended without a result, by reason");
                ended.put(outcome, builder.tag("function", function).register(registry));
            }
            wait = Timer.builder("gearmand.job.wait").tag("function", function)
                    .description("Time from submission until a worker took the job")
                    .publishPercentileHistogram().minimumExpectedValue(SHORTEST).maximumExpectedValue(LONGEST)
                    .register(registry);
            latency = Timer.builder("gearmand.job.latency").tag("function", function)
                    .description("Time from submission until the job ended, however it ended")
                    .publishPercentileHistogram().minimumExpectedValue(SHORTEST).maximumExpectedValue(LONGEST)
                    .register(registry);
        }
    }

    /** The gauges of one function, read from the last snapshot. */
    private final class FunctionGauges {
        private volatile int queued;
        private volatile int running;
        private volatile int workers;
        private final List<Gauge> registered;

        FunctionGauges(String function) {
            registered = List.of(
                    Gauge.builder("gearmand.jobs.queued", this, g -> g.queued).tag("function", function)
                            .description("Jobs waiting for a worker (scheduled jobs included)").register(registry),
                    Gauge.builder("gearmand.jobs.running", this, g -> g.running).tag("function", function)
                            .description("Jobs a worker holds now").register(registry),
                    Gauge.builder("gearmand.workers", this, g -> g.workers).tag("function", function)
                            .description("Worker connections that registered the function").register(registry));
        }

        void set(FunctionView view) {
            queued = view.high() + view.normal() + view.low();
            running = view.running();
            workers = view.workers();
        }

        void remove() {
            registered.forEach(registry::remove);
        }
    }
}
