package dev.gearfarm.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.images.batch.BatchItem;
import dev.gearfarm.images.batch.LeafRunner;
import dev.gearfarm.images.spec.JobSpec;
import dev.gearfarm.images.spec.OutputSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    void anUnreachableServerFailsEachItemWithTheServerNamed() throws Exception {
        try (GearmanClient client = GearmanClient.create("127.0.0.1:1")) {
            List<LeafRunner.Outcome> outcomes = new ArrayList<>();
            new LeafRunner(client, 3, Duration.ofSeconds(20)).run(items(3), LeafRunner::specOnly, outcomes::add);
            assertThat(outcomes).hasSize(3).allSatisfy(o -> assertThat(o.error()).contains("127.0.0.1:1"));
        }
    }
}
