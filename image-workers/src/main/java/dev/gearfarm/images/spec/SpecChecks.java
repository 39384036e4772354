package dev.gearfarm.images.spec;

import dev.gearfarm.images.ImageJobException;

/** The spec's validation: a broken rule becomes a BAD_SPEC answer naming the field. */
final class SpecChecks {
    private SpecChecks() {}

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new ImageJobException(ImageJobException.Reason.BAD_SPEC, message);
        }
    }
}
