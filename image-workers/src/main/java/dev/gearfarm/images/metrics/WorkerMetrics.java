package dev.gearfarm.images.metrics;

import dev.gearfarm.gearman.worker.JobHandler;
import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The image worker's meters in one Prometheus registry. Names follow Prometheus conventions once
 * Micrometer renders them: {@code image_worker_jobs_total{function,outcome}},
 * {@code image_worker_failures_total{reason}}, {@code image_worker_source_bytes_total},
 * {@code image_worker_output_bytes_total}, {@code image_worker_job_duration_seconds{function,outcome}}
 * (histogram), {@code image_worker_stage_duration_seconds{stage}}, {@code image_worker_jobs_in_flight{function}},
 * {@code image_worker_source_megapixels}, plus the JVM and process meters Micrometer binds. Thread-safe.
 */
public final class WorkerMetrics implements AutoCloseable {
    /** The outcome label of a job that returned a result. */
    public static final String COMPLETED = "completed";
    /** The outcome label of a job that ended with an exception (WORK_EXCEPTION / WORK_FAIL). */
    public static final String FAILED = "failed";

    private static final Duration SHORTEST_JOB = Duration.ofMillis(5);
    private static final Duration LONGEST_JOB = Duration.ofMinutes(10);
    /** Fixed buckets for the stages: a full percentile histogram per stage would be 5x70 series. */
    private static final Duration[] STAGE_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};
    private static final double[] MEGAPIXEL_BUCKETS = {0.1, 0.5, 1, 2, 4, 8, 12, 16, 24, 32, 50, 100};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<Reason, Counter> failures = new EnumMap<>(Reason.class);
    private final Counter sourceBytes;
    private final Counter outputBytes;
    private final DistributionSummary sourceMegapixels;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private JvmGcMetrics gc;

    /** The worker's own meters; {@link #bindJvmAndProcess()} adds the JVM's. */
    public WorkerMetrics() {
        for (Reason reason : Reason.values()) {
            // Every reason from the start at 0, so rate() and alerts see a series before the first failure.
            failures.put(reason, Counter.builder("image.worker.failures").tag("reason", label(reason))
                    .description("Failed image jobs by reason (ImageJobException.Reason)").register(registry));
        }
        sourceBytes = Counter.builder("image.worker.source.bytes").baseUnit("bytes")
                .description("Encoded source bytes of completed jobs (fetched or inline)").register(registry);
        outputBytes = Counter.builder("image.worker.output.bytes").baseUnit("bytes")
                .description("Encoded output bytes of completed jobs, all outputs").register(registry);
        sourceMegapixels = DistributionSummary.builder("image.worker.source.megapixels")
                .description("Size of decoded sources in megapixels (as displayed)")
                .serviceLevelObjectives(MEGAPIXEL_BUCKETS).register(registry);
    }

    /** Binds Micrometer's JVM and process meters: memory, GC, threads, class loading, CPU, uptime, file descriptors. */
    public synchronized WorkerMetrics bindJvmAndProcess() {
        if (gc == null) {
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        }
        return this;
    }

    /** Registers the counters and gauges of {@code function} at 0, so they are scraped before its first job. */
    public WorkerMetrics function(String function) {
        for (String outcome : new String[] {COMPLETED, FAILED}) {
            jobs(function, outcome);
            duration(function, outcome);
        }
        inFlight(function);
        return this;
    }

    /** Registers the stage timers of {@code names} at 0, as {@link #function} does for jobs. */
    public WorkerMetrics stages(Iterable<String> names) {
        names.forEach(this::stage);
        return this;
    }

    /** A gauge {@code image_worker_<name>} read from {@code source} at each scrape. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder("image.worker." + name, source, value).description(description).register(registry);
    }

    /** The registry, for embedders that scrape or publish it themselves. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Everything in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** Starts timing one job of {@code function}; end it with {@link Job#completed} or {@link Job#failed}. */
    public Job start(String function) {
        return new Job(function);
    }

    /**
     * {@code handler} counted as {@code function}: completed or failed (an {@link ImageJobException}'s reason,
     * else {@code internal}) and timed. For handlers without finer metrics, such as {@code thumbnail_batch}.
     */
    public JobHandler metered(String function, JobHandler handler) {
        function(function);
        return job -> {
            Job metered = start(function);
            try {
                byte[] result = handler.handle(job);
                metered.completed();
                return result;
            } catch (ImageJobException e) {
                metered.failed(e.reason());
                throw e;
            } catch (Exception | Error e) {
                metered.failed(Reason.INTERNAL);
                throw e;
            }
        };
    }

    /** Unbinds the GC listener; the registry keeps its values. */
    @Override
    public synchronized void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }

    /** The label value of a reason: its name in lower case ({@code corrupt_image}). */
    public static String label(Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private Counter jobs(String function, String outcome) {
        return Counter.builder("image.worker.jobs").tag("function", function).tag("outcome", outcome)
                .description("Jobs finished, by function and outcome").register(registry);
    }

    private Timer duration(String function, String outcome) {
        return Timer.builder("image.worker.job.duration").tag("function", function).tag("outcome", outcome)
                .description("Job run time on this worker, from handler start to result")
                .publishPercentileHistogram().minimumExpectedValue(SHORTEST_JOB).maximumExpectedValue(LONGEST_JOB)
                .register(registry);
    }

    private AtomicInteger inFlight(String function) {
        return inFlight.computeIfAbsent(function, f -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("image.worker.jobs.in.flight", count, AtomicInteger::get).tag("function", f)
                    .description("Jobs running now").register(registry);
            return count;
        });
    }

    private Timer stage(String stage) {
        return stages.computeIfAbsent(stage, s -> Timer.builder("image.worker.stage.duration").tag("stage", s)
                .description("Time in one stage of a thumbnail job (fetch, decode, transform, encode, store);"
                        + " transform, encode and store once per output")
                .serviceLevelObjectives(STAGE_BUCKETS).register(registry));
    }

    /** One job being timed; ending it twice counts it once. */
    public final class Job {
        private final String function;
        private final long start = System.nanoTime();
        private final AtomicInteger running;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Job(String function) {
            this.function = function;
            this.running = inFlight(function);
            running.incrementAndGet();
        }

        /** Time spent in {@code stage} (lower case, e.g. {@code decode}). */
        public void stage(String stage, long nanos) {
            WorkerMetrics.this.stage(stage).record(nanos, TimeUnit.NANOSECONDS);
        }

        /** The job returned a result; no byte or pixel counts. */
        public void completed() {
            end(COMPLETED);
        }

        /** The job returned a result made from {@code inBytes} of source, {@code pixels} big, into {@code outBytes}. */
        public void completed(long inBytes, long outBytes, long pixels) {
            if (end(COMPLETED)) {
                sourceBytes.increment(inBytes);
                outputBytes.increment(outBytes);
                sourceMegapixels.record(pixels / 1_000_000.0);
            }
        }

        /** The job failed for {@code reason}. */
        public void failed(Reason reason) {
            if (end(FAILED)) {
                failures.get(reason).increment();
            }
        }

        private boolean end(String outcome) {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            running.decrementAndGet();
            jobs(function, outcome).increment();
            duration(function, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return true;
        }
    }
}
