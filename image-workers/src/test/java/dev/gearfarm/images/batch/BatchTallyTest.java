package dev.gearfarm.images.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.spec.JobJson;
import dev.gearfarm.images.spec.JobResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTallyTest {
    private static JobResult result(long... sizes) {
        return new JobResult(null, null, java.util.Arrays.stream(sizes)
                .mapToObj(b -> new JobResult.OutputResult("/o/x", 10, 10, b, "jpeg", null)).toList());
    }

    @Test
    void aggregatesCountsBytesAndFailuresWithReasons() {
        BatchTally tally = new BatchTally(4);
        tally.succeeded(result(100, 50));
        tally.succeeded(result(7));
        tally.skipped();
        tally.failed("bad.jpg", "bad.jpg is truncated");
        BatchSummary summary = tally.summary(1500);
        assertThat(summary.total()).isEqualTo(4);
        assertThat(summary.succeeded()).isEqualTo(2);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.outputs()).isEqualTo(3);
        assertThat(summary.bytes()).isEqualTo(157);
        assertThat(summary.done()).isEqualTo(4);
        assertThat(summary.failures()).containsExactly(new BatchSummary.Failure("bad.jpg", "bad.jpg is truncated"));
        assertThat(summary.describe()).isEqualTo("4 images: 2 made (3 outputs, 157 B), 1 skipped, 1 failed in 1.5 s");
    }

    @Test
    void listsAtMostTheLimitButCountsEveryFailure() {
        BatchTally tally = new BatchTally(5, 2);
        for (int i = 0; i < 5; i++) {
            tally.failed("f" + i, "broken");
        }
        BatchSummary summary = tally.summary(0);
        assertThat(summary.failed()).isEqualTo(5);
        assertThat(summary.failures()).extracting(BatchSummary.Failure::input).isEqualTo(List.of("f0", "f1"));
        assertThat(summary.failuresNotListed()).isEqualTo(3);
    }

    @Test
    void summaryRoundTripsThroughJson() throws Exception {
        BatchTally tally = new BatchTally(2);
        tally.succeeded(result(10));
        tally.failed("x", "why");
        BatchSummary summary = tally.summary(42);
        assertThat(BatchJson.readSummary(JobJson.write(summary))).isEqualTo(summary);
    }

    @Test
    void unitsReadLikeAPersonWouldWriteThem() {
        assertThat(Units.bytes(999)).isEqualTo("999 B");
        assertThat(Units.bytes(12_345)).isEqualTo("12.3 KB");
        assertThat(Units.bytes(4_000_000)).isEqualTo("4.0 MB");
        assertThat(Units.duration(42)).isEqualTo("42s");
        assertThat(Units.duration(185)).isEqualTo("3m05s");
        assertThat(Units.duration(7380)).isEqualTo("2h03m");
    }
}
