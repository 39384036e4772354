package dev.gearfarm.images.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The one assertion the source, sink and S3 tests make about a refusal: its reason, then its message. */
public final class Refusals {
    private Refusals() {
    }

    /** Asserts the call throws an {@link ImageJobException} with this reason; chain message checks. */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(ThrowingCallable call, Reason reason) {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(ImageJobException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
