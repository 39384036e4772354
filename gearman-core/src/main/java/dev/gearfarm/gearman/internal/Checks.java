package dev.gearfarm.gearman.internal;

import java.time.Duration;

/** Argument checks shared by the option records. */
public final class Checks {
    private Checks() {
    }

    /** Throws {@link IllegalArgumentException} naming {@code name} unless {@code value} is above zero. */
    public static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
