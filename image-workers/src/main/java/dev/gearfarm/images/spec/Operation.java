package dev.gearfarm.images.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One pixel operation, named in JSON by its {@code op} field. A job's {@code operations} run once on
 * the decoded source before any resize; an output's {@code operations} run on that output after it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Operation.Crop.class, name = "crop"),
    @JsonSubTypes.Type(value = Operation.Rotate.class, name = "rotate"),
    @JsonSubTypes.Type(value = Operation.Flip.class, name = "flip"),
    @JsonSubTypes.Type(value = Operation.Grayscale.class, name = "grayscale"),
    @JsonSubTypes.Type(value = Operation.Blur.class, name = "blur"),
    @JsonSubTypes.Type(value = Operation.Sharpen.class, name = "sharpen"),
    @JsonSubTypes.Type(value = Operation.Watermark.class, name = "watermark")
})
public sealed interface Operation {

    /** Keeps the rectangle at (x, y) of the given size; it must lie inside the image. */
    record Crop(int x, int y, int width, int height) implements Operation {
        public Crop {
            SpecChecks.check(x >= 0 && y >= 0, "crop x and y must be >= 0, got " + x + "," + y);
            SpecChecks.check(width > 0 && height > 0, "crop width and height must be > 0, got " + width + "x" + height);
        }
    }

    /** Turns the image clockwise by 90, 180 or 270 degrees. */
    record Rotate(int degrees) implements Operation {
        public Rotate {
            SpecChecks.check(degrees == 90 || degrees == 180 || degrees == 270,
                    "rotate degrees must be 90, 180 or 270, got " + degrees);
        }
    }

    /** Mirrors the image. */
    record Flip(Axis axis) implements Operation {
        /** Which way a flip mirrors. */
        public enum Axis {
            /** Left and right swap. */
            HORIZONTAL,
            /** Top and bottom swap. */
            VERTICAL;

            @JsonValue
            public String jsonName() {
                return name().toLowerCase(Locale.ROOT);
            }

            @JsonCreator
            public static Axis of(String name) {
                return Names.parse(Axis.class, name, values(), "horizontal, vertical");
            }
        }

        public Flip {
            axis = axis == null ? Axis.HORIZONTAL : axis;
        }
    }

    /** Drops colour (luminance kept). */
    record Grayscale() implements Operation {}

    /** Gaussian blur of the given sigma, in pixels (0.1 to 50). */
    record Blur(double sigma) implements Operation {
        public Blur {
            SpecChecks.check(sigma >= 0.1 && sigma <= 50, "blur sigma must be between 0.1 and 50, got " + sigma);
        }
    }

    /** Unsharp mask; amount 0.1 (subtle) to 5 (strong), default 1. */
    record Sharpen(Double amount) implements Operation {
        public Sharpen {
            amount = amount == null ? 1.0 : amount;
            SpecChecks.check(amount >= 0.1 && amount <= 5, "sharpen amount must be between 0.1 and 5, got " + amount);
        }
    }

    /**
     * Draws another image over this one.
     *
     * @param source a reference any source serves (a file, URL or S3 object), fetched once and cached
     * @param position where it sits (default {@code south-east})
     * @param opacity 0 to 1 (default 0.5)
     * @param margin pixels from the edges (default 10)
     * @param scale the watermark's width as a fraction of the image's width (default: its own size)
     */
    record Watermark(String source, Gravity position, Double opacity, Integer margin, Double scale)
            implements Operation {
        public Watermark {
            SpecChecks.check(source != null && !source.isBlank(), "watermark needs a source");
            position = position == null ? Gravity.SOUTH_EAST : position;
            opacity = opacity == null ? 0.5 : opacity;
            margin = margin == null ? 10 : margin;
            SpecChecks.check(opacity >= 0 && opacity <= 1, "watermark opacity must be between 0 and 1, got " + opacity);
            SpecChecks.check(margin >= 0, "watermark margin must be >= 0, got " + margin);
            SpecChecks.check(scale == null || (scale > 0 && scale <= 1), "watermark scale must be in (0, 1], got " + scale);
        }
    }
}
