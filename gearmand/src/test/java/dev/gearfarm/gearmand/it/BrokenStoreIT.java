package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gearfarm.gearman.GearmanServerException;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearman.worker.WorkerOptions;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The database behind a persistent queue goes away (a {@link TcpProxy} cuts every connection and refuses
 * new ones) and comes back: background submissions get {@code ERROR QUEUE_ERROR} naming the store and
 * the cause meanwhile, jobs accepted before still run, and the server reconnects by itself.
 */
@Timeout(120)
class BrokenStoreIT {
    private final String table = QueueStores.uniqueTable("gm_broken");
    private String kind;
    private TcpProxy proxy;
    private ServerProcess server;
    private GearmanClient client;
    private GearmanWorker worker;

    @AfterEach
    void cleanUp() throws Exception {
        if (worker != null) {
            worker.closeNow();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (kind != null) {
            QueueStores.drop(kind, table);
        }
    }

    private String submit(String payload) throws Exception {
        return client.submitBackground(JobRequest.of("fn", payload)).get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "mysql"})
    void submissionsGetQueueErrorWhileTheDatabaseIsDownAndWorkAgainWhenItReturns(String store) throws Exception {
        QueueStores.requireReachable(store);
        kind = store;
        proxy = new TcpProxy(QueueStores.port(store));
        server = ServerProcess.ours(QueueStores.args(store, null, table, proxy.port).toArray(String[]::new));
        client = GearmanClient.create(server.address());
        submit("before");

        proxy.stop();
        for (int i = 0; i < 3; i++) {
            Throwable refused = catchThrowable(() -> submit("during"));
            assertThat(refused).isInstanceOf(ExecutionException.class);
            assertThat(refused.getCause()).isInstanceOf(GearmanServerException.class);
            GearmanServerException error = (GearmanServerException) refused.getCause();
            assertThat(error.code()).isEqualTo("QUEUE_ERROR");
            assertThat(error.text()).contains("persistent queue " + store).contains("table " + table)
                    .contains("failed: ");
        }
        assertThat(Files.readString(server.log)).contains("persistent queue " + store).contains("failed");

        proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String handle = null;
        while (handle == null) {
            try {
                handle = submit("after");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(GearmanServerException.class);
                assertThat(System.nanoTime()).as("store still failing 30 s after the database came back: %s",
                        e.getCause().getMessage()).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        assertThat(Files.readString(server.log)).contains("works again");

        Set<String> ran = ConcurrentHashMap.newKeySet();
        worker = GearmanWorker.create(WorkerOptions.builder().servers(server.address()).concurrency(1).build());
        worker.register("fn", job -> {
            ran.add(job.payloadAsString());
            return new byte[0];
        });
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ran.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ran).containsExactlyInAnyOrderElementsOf(List.of("before", "after"));
    }
}
