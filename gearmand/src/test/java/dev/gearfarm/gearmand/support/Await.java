package dev.gearfarm.gearmand.support;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Bounded waits on futures for the library contract tests: a broken peer fails a test, never hangs it. */
public final class Await {
    /** How long any single wait may take. */
    public static final long WAIT_MILLIS = 10_000;

    private Await() {
    }

    /** The future's value, waiting at most {@link #WAIT_MILLIS}. */
    public static <T> T await(Future<T> future) throws Exception {
        return future.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The cause the future failed with; an assertion error when it succeeds. */
    public static Throwable failure(Future<?> future) throws Exception {
        try {
            future.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail, but it succeeded");
    }

    /** UTF-8 text of a result. */
    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
