package dev.gearfarm.thumbnail;

import dev.gearfarm.images.batch.Units;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows how a batch is going: on a terminal a bar redrawn in place with a carriage return, elsewhere a
 * plain line every few seconds, or nothing. Rate and ETA count only the images processed in this run
 * (skipped ones would make the rate a lie). Not thread-safe: the batch calls it from one thread.
 *
 * <pre>
 * [##########----------]  60/120  50%  4.2 img/s  ETA 14s  1 failed     (bar)
 * progress: 60/120 (50%), 4.2 img/s, ETA 14s, 1 failed                    (lines)
 * </pre>
 */
final class Progress {
    /** How progress is shown. */
    enum Mode {
        /** A bar on a terminal when there is one ({@code System.console()}), else lines. */
        AUTO,
        BAR,
        LINES,
        NONE;

        Mode resolve(boolean terminal) {
            return this == AUTO ? (terminal ? BAR : LINES) : this;
        }
    }

    static final int BAR_WIDTH = 20;
    static final Duration DEFAULT_REDRAW = Duration.ofMillis(100);
    static final Duration DEFAULT_LINE_INTERVAL = Duration.ofSeconds(5);

    private final Mode mode;
    private final PrintStream out;
    private final LongSupplier nanos;
    private final long interval;
    private final long total;
    private final long start;
    private long baseline;
    private long lastDraw = Long.MIN_VALUE;
    private long lastDone = -1;
    private int lastLength;

    /**
     * @param mode  {@link Mode#BAR}, {@link Mode#LINES} or {@link Mode#NONE} (resolve AUTO first)
     * @param nanos the clock, {@code System::nanoTime} outside tests
     */
    Progress(Mode mode, PrintStream out, LongSupplier nanos, long total, Duration lineInterval) {
        this.mode = mode;
        this.out = out;
        this.nanos = nanos;
        this.total = total;
        this.interval = (mode == Mode.BAR ? DEFAULT_REDRAW : lineInterval).toNanos();
        this.start = nanos.getAsLong();
    }

    /** Images already done before any work (skipped on resume): counted as done, not in the rate. */
    void baseline(long done) {
        this.baseline = done;
    }

    /** Called after each outcome; draws when the redraw or line interval has passed. */
    void update(long done, long failed) {
        long now = nanos.getAsLong();
        if (mode == Mode.NONE || (lastDraw != Long.MIN_VALUE && now - lastDraw < interval)) {
            return;
        }
        draw(done, failed, now);
    }

    /** Draws the final state (always, so the last bar shows total/total), and ends the bar's line. */
    void finish(long done, long failed) {
        if (mode == Mode.NONE) {
            return;
        }
        if (mode == Mode.BAR || done != lastDone) {
            draw(done, failed, nanos.getAsLong());
        }
        if (mode == Mode.BAR) {
            out.print(System.lineSeparator());
            out.flush();
        }
    }

    private void draw(long done, long failed, long now) {
        lastDraw = now;
        lastDone = done;
        String text = render(done, failed, now - start);
        if (mode == Mode.BAR) {
            // Pad to the last length so a shorter line fully covers the previous one.
            String padded = text.length() < lastLength ? text + " ".repeat(lastLength - text.length()) : text;
            lastLength = text.length();
            out.print("\r" + padded);
        } else {
            out.println("progress: " + text);
        }
        out.flush();
    }

    /** The progress text without decoration, for {@code done} of the total after {@code elapsedNanos}. */
    String render(long done, long failed, long elapsedNanos) {
        StringBuilder s = new StringBuilder();
        int percent = total == 0 ? 100 : (int) (done * 100 / total);
        if (mode == Mode.BAR) {
            int filled = total == 0 ? BAR_WIDTH : (int) (done * BAR_WIDTH / total);
            s.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("]  ");
            s.append(done).append('/').append(total).append("  ").append(percent).append('%');
        } else {
            s.append(done).append('/').append(total).append(" (").append(percent).append("%)");
        }
        String sep = mode == Mode.BAR ? "  " : ", ";
        double seconds = elapsedNanos / 1e9;
        long processed = done - baseline;
        if (seconds > 0 && processed > 0) {
            double rate = processed / seconds;
            s.append(sep).append(String.format(Locale.ROOT, "%.1f img/s", rate));
            if (done < total) {
                s.append(sep).append("ETA ").append(Units.duration(Math.round((total - done) / rate)));
            }
        }
        if (failed > 0) {
            s.append(sep).append(failed).append(" failed");
        }
        return s.toString();
    }
}
