package dev.gearfarm.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearmand.config.ServerConfig;
import dev.gearfarm.gearmand.engine.EngineConfig;
import dev.gearfarm.gearmand.net.GearmanServer;
import dev.gearfarm.images.batch.BatchItem;
import dev.gearfarm.images.batch.LeafRunner;
import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobResult;
import dev.gearfarm.images.spec.JobSpec;
import dev.gearfarm.images.spec.OutputSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The leaf runner's promise that every item gets exactly one outcome, whatever goes wrong. */
class LeafRunnerTest {
    private static List<BatchItem> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> new BatchItem("img" + i + ".jpg", JobSpec.of("/in/img" + i + ".jpg",
                List.of(OutputSpec.builder().size(64).destination("/out/img" + i + ".64.jpg").build())), null)).toList();
    }

    @Test
    @Timeout(30)
    void aClosedClientFailsEveryItemInsteadOfHangingTheBatch() throws Exception {
        GearmanClient client = GearmanClient.create("127.0.0.1:1");
        client.close();
        List<LeafRunner.Outcome> outcomes = new ArrayList<>();
        new LeafRunner(client, 2, Duration.ofSeconds(5)).run(items(5), LeafRunner::specOnly, outcomes::add);
        assertThat(outcomes).hasSize(5).allSatisfy(o -> assertThat(o.error()).contains("closed"));
    }

    @Test
    @Timeout(30)
    void aPayloadThatCannotBeBuiltAndAPlannedProblemFailOnlyTheirItems() throws Exception {
        try (GearmanClient client = GearmanClient.create("127.0.0.1:1")) {
            List<BatchItem> items = new ArrayList<>(items(1));
            items.add(new BatchItem("dup.jpg", items.get(0).spec(), "its output collides; rename one"));
            List<LeafRunner.Outcome> outcomes = new ArrayList<>();
            new LeafRunner(client, 1, Duration.ofSeconds(5)).run(items, item -> {
                throw new java.io.IOException(item.input() + " vanished");
            }, outcomes::add);
            assertThat(outcomes).extracting(LeafRunner.Outcome::error)
                    .containsExactlyInAnyOrder("img0.jpg vanished", "its output collides; rename one");
        }
    }

    @Test
    @Timeout(60)
    void jobsHeldByAServerThatStopsAreSubmittedAgainToOneStillUp() throws Exception {
        EngineConfig engine = new EngineConfig("H:test", -1, 0, false, "test");
        GearmanServer doomed = GearmanServer.start(ServerConfig.forTesting(engine));
        try (GearmanServer survivor = GearmanServer.start(ServerConfig.forTesting(engine));
                GearmanWorker worker = GearmanWorker.create("127.0.0.1:" + survivor.port());
                GearmanClient client = GearmanClient.create("127.0.0.1:" + doomed.port(),
                        "127.0.0.1:" + survivor.port())) {
            byte[] result = JobJson.write(new JobResult(null, new JobResult.SourceInfo("x", 1, 1, "jpeg", 1, 1),
                    List.of()));
            worker.register(LeafRunner.LEAF_FUNCTION, job -> result);
            List<LeafRunner.Outcome> outcomes = new CopyOnWriteArrayList<>();
            Thread batch = new Thread(() -> {
                try {
                    new LeafRunner(client, 8, Duration.ofSeconds(30)).run(items(8), LeafRunner::specOnly, outcomes::add);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            batch.start();
            // No worker serves the doomed server: the jobs the client spread onto it wait there.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (queuedOn(doomed) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(queuedOn(doomed)).as("jobs queued on the server about to stop").isPositive();
            doomed.close();
            batch.join();
            assertThat(outcomes).hasSize(8).allSatisfy(o -> assertThat(o.error()).isNull());
        } finally {
            doomed.close();
        }
    }

    private static int queuedOn(GearmanServer server) throws Exception {
        return server.inspect(engine -> engine.functions().stream().mapToInt(f -> f.total()).sum())
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(60)
    void anUnreachableServerFailsEachItemWithTheServerNamed() throws Exception {
        try (GearmanClient client = GearmanClient.create("127.0.0.1:1")) {
            List<LeafRunner.Outcome> outcomes = new ArrayList<>();
            new LeafRunner(client, 3, Duration.ofSeconds(20)).run(items(3), LeafRunner::specOnly, outcomes::add);
            assertThat(outcomes).hasSize(3).allSatisfy(o -> assertThat(o.error()).contains("127.0.0.1:1"));
        }
    }
}
