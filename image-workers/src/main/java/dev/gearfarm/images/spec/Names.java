package dev.gearfarm.images.spec;

import dev.gearfarm.images.ImageJobException;
import java.util.Locale;

/** Parses the lower-case JSON names of the spec's enums with a message that lists the valid ones. */
final class Names {
    private Names() {}

    static <E extends Enum<E>> E parse(Class<E> type, String name, E[] values, String valid) {
        if (name != null) {
            String wanted = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E value : values) {
                if (value.name().equals(wanted)) {
                    return value;
                }
            }
        }
        throw new ImageJobException(ImageJobException.Reason.BAD_SPEC,
                "unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " \"" + name + "\"; use one of: " + valid);
    }
}
