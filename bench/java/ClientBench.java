import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.gearman.client.JobStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Java client's counterpart of {@code gmbench client}: the same load, the same output line.
 *
 * <pre>
 * ClientBench [--warmup W] [--warmup-function F] [--lockstep] HOST PORT FUNC N BATCH SIZE [bg]
 * </pre>
 *
 * <p>Submits N jobs of SIZE bytes on one shared {@link GearmanClient}, each with its own unique id
 * ({@code <pid>-<seq>}, as gmbench does). By default at most BATCH jobs are in flight at any moment: the
 * main thread sends the first BATCH, and each job's completion callback sends the next one (a sliding
 * window, how an asynchronous client is used; the callback runs on the client's I/O thread and does not
 * block). With {@code --lockstep} the main thread sends BATCH, waits for all of them, and repeats, as
 * gmbench's {@code gearman_client_run_tasks} loop does; at BATCH 1 that is a blocking call per job.
 * Foreground: a job is done when its result (SIZE bytes) is back. Background ({@code bg}): a job is done
 * when the server has queued it (JOB_CREATED).
 *
 * <p>Before the clock starts, W untimed jobs give the JIT compiler a chance to run: W foreground jobs on
 * F (default FUNC), and in background mode W background jobs on F as well. F must have workers; the
 * warm-up waits until the workers have taken the last of its background jobs, so the timed run starts
 * on an empty queue.
 *
 * <p>Prints gmbench's line plus the process's CPU time (all threads: I/O, main, JIT, GC) during the
 * timed run, {@code jobs=N seconds=S jobs_per_s=R cpu_s=C}, on stdout; exit status 0 only if all N jobs
 * succeeded.
 */
public final class ClientBench {
    /** Longest time without a finished job before giving up, the same as gmbench's client I/O timeout. */
    private static final long STALL_TIMEOUT_SECONDS = 60;
    /** Longest wait for the warm-up's background jobs to be taken by workers. */
    private static final long DRAIN_TIMEOUT_SECONDS = 120;
    private static final int MAX_BATCH = 100_000;
    private static final int MAX_SIZE = 64 * 1024 * 1024;

    private final GearmanClient client;
    private final byte[] payload;
    private final int batch;
    private final boolean lockstep;
    private final String uniquePrefix = ProcessHandle.current().pid() + "-";
    private final AtomicLong seq = new AtomicLong();

    private ClientBench(GearmanClient client, byte[] payload, int batch, boolean lockstep) {
        this.client = client;
        this.payload = payload;
        this.batch = batch;
        this.lockstep = lockstep;
    }

    public static void main(String[] args) throws Exception {
        long warmup = 0;
        String warmupFunction = null;
        boolean lockstep = false;
        int i = 0;
        for (; i < args.length && args[i].startsWith("--"); i++) {
            if (!args[i].equals("--lockstep") && i + 1 == args.length) {
                usage();
            }
            switch (args[i]) {
                case "--warmup" -> warmup = parse(args[++i], "W", 0, 1_000_000_000L);
                case "--warmup-function" -> warmupFunction = args[++i];
                case "--lockstep" -> lockstep = true;
                default -> usage();
            }
        }
        int left = args.length - i;
        if (left != 6 && left != 7 || left == 7 && !args[i + 6].equals("bg")) {
            usage();
        }
        String host = args[i];
        int port = (int) parse(args[i + 1], "port", 1, 65535);
        String function = args[i + 2];
        long n = parse(args[i + 3], "N", 1, 1_000_000_000L);
        int batch = (int) parse(args[i + 4], "BATCH", 1, MAX_BATCH);
        int size = (int) parse(args[i + 5], "SIZE", 0, MAX_SIZE);
        boolean background = left == 7;
        if (warmupFunction == null) {
            warmupFunction = function;
        }

        byte[] payload = new byte[size];
        for (int k = 0; k < size; k++) {
            payload[k] = (byte) ('a' + k % 26);
        }
        ClientOptions options = ClientOptions.builder()
                .servers(host + ":" + port)
                .clientId("clientbench")
                // The window, not the client's queue, bounds what is in flight.
                .maxPendingPerConnection(Math.max(ClientOptions.DEFAULT_MAX_PENDING_PER_CONNECTION, batch))
                .responseTimeout(Duration.ofSeconds(STALL_TIMEOUT_SECONDS))
                .build();
        int exit;
        try (GearmanClient client = GearmanClient.create(options)) {
            ClientBench bench = new ClientBench(client, payload, batch, lockstep);
            if (warmup > 0) {
                bench.run(warmupFunction, warmup, false);
                if (background) {
                    bench.drain(warmupFunction, bench.run(warmupFunction, warmup, true).lastHandle);
                }
            }
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            Outcome outcome = bench.run(function, n, background);
            double seconds = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
            double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            exit = outcome.ok == n ? 0 : 1;
            if (exit != 0) {
                System.err.printf(Locale.ROOT, "ClientBench: expected %d jobs: ok=%d failed=%d bad_size=%d%s%n", n,
                        outcome.ok, outcome.failed, outcome.badSize,
                        outcome.firstError == null ? "" : "; first error: " + outcome.firstError);
            }
            System.out.printf(Locale.ROOT, "jobs=%d seconds=%.6f jobs_per_s=%.1f cpu_s=%.3f%n", outcome.ok,
                    seconds, outcome.ok / seconds, cpuSeconds);
            System.out.flush();
        }
        System.exit(exit);
    }

    /** What one run achieved. */
    private record Outcome(long ok, long failed, long badSize, String firstError, String lastHandle) {
    }

    /** Submits {@code n} jobs on {@code function}; returns once every one has finished or progress stopped. */
    private Outcome run(String function, long n, boolean background) throws InterruptedException {
        Run run = new Run(function, n, background);
        if (lockstep) {
            for (long sent = 0; sent < n && run.stalled == null; ) {
                long count = Math.min(batch, n - sent);
                for (long k = 0; k < count; k++) {
                    run.submit(false);
                }
                sent += count;
                run.await(sent);
            }
        } else {
            for (long k = 0; k < Math.min(batch, n); k++) {
                run.next.incrementAndGet();
                run.submit(true);
            }
            run.await(n);
        }
        return new Outcome(run.ok.get(), run.failed.get(), run.badSize.get(),
                run.stalled != null ? run.stalled : run.firstError.get(), run.lastHandle.get());
    }

    /** One run's counters. Completions arrive on the client's I/O thread. */
    private final class Run {
        private final String function;
        private final long n;
        private final boolean background;
        /** Jobs handed out so far in window mode (claimed before submitting). */
        private final AtomicLong next = new AtomicLong();
        private final AtomicLong finished = new AtomicLong();
        private final AtomicLong ok = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong badSize = new AtomicLong();
        private final AtomicReference<String> firstError = new AtomicReference<>();
        private final AtomicReference<String> lastHandle = new AtomicReference<>();
        private final Object progress = new Object();
        private volatile long target;
        private String stalled;

        Run(String function, long n, boolean background) {
            this.function = function;
            this.n = n;
            this.background = background;
        }

        /** Submits one job; with {@code chain}, its completion submits the next one while jobs are left. */
        void submit(boolean chain) {
            JobRequest request = JobRequest.builder(function).payload(payload).unique(uniquePrefix + seq.getAndIncrement())
                    .build();
            // Runs on the I/O thread: count, maybe submit the next job (which does not block), never wait.
            if (background) {
                client.submitBackground(request).whenComplete((handle, error) -> {
                    if (error == null) {
                        ok.incrementAndGet();
                        lastHandle.set(handle);
                    }
                    done(error, chain);
                });
            } else {
                client.submit(request).result().whenComplete((result, error) -> {
                    if (error == null && result.length != payload.length) {
                        badSize.incrementAndGet();
                    } else if (error == null) {
                        ok.incrementAndGet();
                    }
                    done(error, chain);
                });
            }
        }

        private void done(Throwable error, boolean chain) {
            if (error != null) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, String.valueOf(error));
            }
            if (chain && next.incrementAndGet() <= n) {
                submit(true);
            }
            if (finished.incrementAndGet() >= target) {
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        }

        /** Waits until {@code count} jobs have finished, giving up when none finishes for a while. */
        void await(long count) throws InterruptedException {
            target = count;
            long seen = finished.get();
            long idleSince = System.nanoTime();
            synchronized (progress) {
                while (finished.get() < count) {
                    progress.wait(1000);
                    long now = finished.get();
                    if (now != seen) {
                        seen = now;
                        idleSince = System.nanoTime();
                    } else if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(STALL_TIMEOUT_SECONDS)) {
                        stalled = "no job finished within " + STALL_TIMEOUT_SECONDS + " s (" + now + " of " + n
                                + " done)";
                        return;
                    }
                }
            }
        }
    }

    /** Waits until the server no longer knows {@code handle}, the last warm-up job: workers took the rest. */
    private void drain(String function, String handle) throws Exception {
        if (handle == null) {
            throw new IllegalStateException("the warm-up queued no background job on " + function);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_TIMEOUT_SECONDS);
        while (true) {
            JobStatus status = client.status(handle).get(STALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!status.known()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("warm-up job " + handle + " on " + function + " still queued after "
                        + DRAIN_TIMEOUT_SECONDS + " s; does " + function + " have workers?");
            }
            Thread.sleep(5);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long parse(String text, String what, long min, long max) {
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.printf(Locale.ROOT, "ClientBench: bad %s '%s' (expected %d..%d)%n", what, text, min, max);
        System.exit(64);
        return 0;
    }

    private static void usage() {
        System.err.println("usage: ClientBench [--warmup W] [--warmup-function F] [--lockstep] "
                + "HOST PORT FUNC N BATCH SIZE [bg]");
        System.exit(64);
    }
}
