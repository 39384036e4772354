package dev.gearfarm.gearman.internal;

import dev.gearfarm.gearman.GearmanException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns whatever a future failed with into something a person can read, or into our exception tree. */
public final class Failures {

    private Failures() {
    }

    /** The failure with future wrappers removed. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A one-line description: our own messages as they are, others with their type when they have none. */
    public static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof GearmanException) {
            return cause.getMessage();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** The failure as a {@link GearmanException}, wrapping anything else with {@code what} failed. */
    public static GearmanException gearman(Throwable error, String what) {
        Throwable cause = unwrap(error);
        return cause instanceof GearmanException gearman ? gearman
                : new GearmanException(what + " failed: " + describe(cause), cause);
    }
}
