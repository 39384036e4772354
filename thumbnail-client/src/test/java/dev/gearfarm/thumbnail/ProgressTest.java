package dev.gearfarm.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private void advance(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private String drawn() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void barRedrawsInPlaceWithRateEtaAndFailures() {
        Progress progress = new Progress(Progress.Mode.BAR, out, clock::get, 120, Duration.ofSeconds(5));
        progress.update(0, 0);
        advance(10);
        progress.update(60, 2);
        assertThat(drawn()).isEqualTo("\r[--------------------]  0/120  0%"
                + "\r[##########----------]  60/120  50%  6.0 img/s  ETA 10s  2 failed");
    }

    @Test
    void aShorterRedrawIsPaddedToCoverTheLongerOneBefore() {
        Progress progress = new Progress(Progress.Mode.BAR, out, clock::get, 10, Duration.ofSeconds(5));
        advance(1);
        progress.update(5, 3);
        advance(1);
        progress.update(6, 0);
        String[] frames = drawn().split("\r");
        assertThat(frames[2]).hasSameSizeAs(frames[1]).startsWith("[############--------]  6/10  60%");
    }

    @Test
    void barRedrawsAtMostTenTimesASecondButAlwaysDrawsTheFinalStateAndEndsTheLine() {
        Progress progress = new Progress(Progress.Mode.BAR, out, clock::get, 3, Duration.ofSeconds(5));
        progress.update(1, 0);
        progress.update(2, 0);
        progress.finish(3, 0);
        assertThat(drawn().split("\r", -1)).hasSize(3);
        assertThat(drawn()).endsWith("[####################]  3/3  100%" + System.lineSeparator());
    }

    @Test
    void linesModePrintsAPlainLineEachIntervalAndTheFinalOneOnce() {
        Progress progress = new Progress(Progress.Mode.LINES, out, clock::get, 100, Duration.ofSeconds(5));
        progress.update(0, 0);
        advance(2);
        progress.update(10, 0);
        advance(4);
        progress.update(30, 1);
        progress.finish(30, 1);
        assertThat(drawn()).isEqualTo("progress: 0/100 (0%)" + System.lineSeparator()
                + "progress: 30/100 (30%), 5.0 img/s, ETA 14s, 1 failed" + System.lineSeparator());
    }

    @Test
    void skippedImagesCountAsDoneButNotInTheRate() {
        Progress progress = new Progress(Progress.Mode.LINES, out, clock::get, 100, Duration.ofSeconds(1));
        progress.baseline(90);
        advance(5);
        progress.update(95, 0);
        assertThat(drawn()).contains("95/100 (95%), 1.0 img/s, ETA 5s");
    }

    @Test
    void noneDrawsNothing() {
        Progress progress = new Progress(Progress.Mode.NONE, out, clock::get, 5, Duration.ofSeconds(1));
        progress.update(1, 0);
        progress.finish(5, 0);
        assertThat(drawn()).isEmpty();
    }

    @Test
    void autoIsABarOnATerminalAndLinesElsewhere() {
        assertThat(Progress.Mode.AUTO.resolve(true)).isEqualTo(Progress.Mode.BAR);
        assertThat(Progress.Mode.AUTO.resolve(false)).isEqualTo(Progress.Mode.LINES);
        assertThat(Progress.Mode.NONE.resolve(true)).isEqualTo(Progress.Mode.NONE);
    }
}
