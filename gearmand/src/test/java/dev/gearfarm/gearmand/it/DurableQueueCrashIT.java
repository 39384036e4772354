package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearman.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our server as a real process with each persistent queue, killed with SIGKILL while clients submit
 * background jobs and workers drain them, then restarted on the same store: every job whose JOB_CREATED
 * a client got must run (at least once; the duplicates are counted and printed).
 */
@Timeout(240)
class DurableQueueCrashIT {
    private static final int SUBMITTERS = 2;
    private static final int IN_FLIGHT_PER_SUBMITTER = 200;
    private static final int ACKED_BEFORE_KILL = 6000;

    @TempDir
    Path dir;
    private final String table = QueueStores.uniqueTable("gm_crash");
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private String kind;

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (kind != null) {
            QueueStores.drop(kind, table);
        }
    }

    private ServerProcess start(int port, String threads) throws Exception {
        List<String> args = new ArrayList<>(QueueStores.args(kind, dir.resolve("queue"), table, QueueStores.port(kind)));
        args.addAll(List.of("-t", threads));
        ServerProcess server = ServerProcess.ours(port, args.toArray(String[]::new));
        toClose.add(server);
        return server;
    }

    /** A worker that counts the runs of each payload, and remembers when each first ran. */
    private void worker(int port, String function, Map<String, AtomicInteger> runs, Map<String, Instant> firstRun) {
        GearmanWorker worker = GearmanWorker.create(WorkerOptions.builder().servers("127.0.0.1:" + port)
                .concurrency(4).reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(300)).build());
        worker.register(function, job -> {
            firstRun.putIfAbsent(job.payloadAsString(), Instant.now());
            runs.computeIfAbsent(job.payloadAsString(), key -> new AtomicInteger()).incrementAndGet();
            return new byte[0];
        });
        toClose.add(worker::closeNow);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"journal", "postgres", "mysql"})
    void everyAcknowledgedJobRunsAfterTheServerIsKilled(String store) throws Exception {
        QueueStores.requireReachable(store);
        kind = store;
        int port = ServerProcess.freePort();
        // The engine inline (-t 1, the default) for the journal and MariaDB, on its own thread for PostgreSQL.
        String threads = "postgres".equals(store) ? "2" : "1";
        ServerProcess server = start(port, threads);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        worker(port, "crash", runs, new ConcurrentHashMap<>());

        AtomicBoolean submitting = new AtomicBoolean(true);
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
            GearmanClient client = GearmanClient.create(ClientOptions.builder().servers("127.0.0.1:" + port)
                    .reconnectDelay(Duration.ofSeconds(30), Duration.ofSeconds(30)).build());
            toClose.add(client);
            int submitter = s;
            Thread thread = new Thread(() -> {
                Semaphore window = new Semaphore(IN_FLIGHT_PER_SUBMITTER);
                for (int i = 0; submitting.get(); i++) {
                    window.acquireUninterruptibly();
                    String payload = "job-" + submitter + "-" + i;
                    client.submitBackground(JobRequest.of("crash", payload)).whenComplete((handle, error) -> {
                        if (error == null) {
                            acknowledged.add(payload);
                        } else {
                            refused.incrementAndGet();
                        }
                        window.release();
                    });
                }
            }, "submitter-" + s);
            thread.start();
            submitters.add(thread);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < ACKED_BEFORE_KILL && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        server.kill9();
        int ranBeforeKill = runs.size();
        submitting.set(false);
        for (Thread thread : submitters) {
            thread.join(TimeUnit.SECONDS.toMillis(40));
        }
        Set<String> acknowledgedAtKill = Set.copyOf(acknowledged);
        assertThat(acknowledgedAtKill).as("jobs acknowledged before the kill").hasSizeGreaterThan(1000);

        start(port, threads);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!runs.keySet().containsAll(acknowledgedAtKill) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        Set<String> lost = new TreeSet<>(acknowledgedAtKill);
        lost.removeAll(runs.keySet());
        long duplicates = runs.values().stream().filter(count -> count.get() > 1).count();
        long unacknowledgedRan = runs.keySet().stream().filter(payload -> !acknowledgedAtKill.contains(payload)).count();
        System.out.printf("[%s] acknowledged %d, ran before the kill %d, ran in all %d, lost %d, ran twice or more %d"
                + " (at-least-once), ran without an acknowledgement %d (stored, reply lost in the kill), refused %d%n",
                store, acknowledgedAtKill.size(), ranBeforeKill, runs.size(), lost.size(), duplicates,
                unacknowledgedRan, refused.get());
        assertThat(lost).as("acknowledged jobs that never ran").isEmpty();
        assertThat(server.process.isAlive()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"journal", "postgres", "mysql"})
    void scheduledJobSurvivesAKillAndRunsAtItsTimeNotBefore(String store) throws Exception {
        QueueStores.requireReachable(store);
        kind = store;
        int port = ServerProcess.freePort();
        ServerProcess server = start(port, "1");
        Instant due = Instant.ofEpochSecond(System.currentTimeMillis() / 1000 + 5);
        GearmanClient client = GearmanClient.create("127.0.0.1:" + port);
        toClose.add(client);
        client.submitBackground(JobRequest.builder("later").payload("scheduled").unique("sched-1").runAt(due).build())
                .get(10, TimeUnit.SECONDS);
        client.close();
        server.kill9();

        ServerProcess restarted = start(port, "1");
        assertThat(restarted.admin("status")).isEqualTo("later\t1\t0\t0\n.\n");
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Map<String, Instant> ranAt = new ConcurrentHashMap<>();
        worker(port, "later", runs, ranAt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ranAt.containsKey("scheduled") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(ranAt).containsKey("scheduled");
        assertThat(ranAt.get("scheduled")).isAfterOrEqualTo(due);
        assertThat(runs.get("scheduled").get()).isEqualTo(1);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!restarted.admin("status").equals("later\t0\t0\t1\n.\n") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(restarted.admin("status")).isEqualTo("later\t0\t0\t1\n.\n");
    }
}
