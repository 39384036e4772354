package dev.gearfarm.images.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an output's box is filled: inside it, covering it and cropped, or stretched to it. */
public enum Fit {
    /** The whole image inside the box, aspect kept; never larger than the source unless upscale. */
    FIT,
    /** The box covered exactly, aspect kept, the overflow cropped at the gravity. */
    FILL,
    /** Stretched to the exact box, aspect not kept. */
    EXACT;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Fit of(String name) {
        return Names.parse(Fit.class, name, values(), "fit, fill, exact");
    }
}
