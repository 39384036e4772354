package dev.gearfarm.images.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One output of a job: its box, how the image fills it, its encoding and where it goes.
 *
 * <p>{@code destination} is a file path (under the worker's output roots), {@code s3://bucket/key}, or
 * {@code inline} to get the bytes back in the result (see {@link Payload}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputSpec(
        Integer width,
        Integer height,
        Fit fit,
        Gravity gravity,
        Boolean upscale,
        Format format,
        Integer quality,
        Boolean progressive,
        String background,
        List<Operation> operations,
        String destination) {

    /** The largest width or height an output may ask for. */
    public static final int MAX_DIMENSION = 16_384;
    public static final Fit DEFAULT_FIT = Fit.FIT;
    public static final Gravity DEFAULT_GRAVITY = Gravity.CENTRE;
    public static final Format DEFAULT_FORMAT = Format.JPEG;
    public static final int DEFAULT_QUALITY = 85;
    public static final String DEFAULT_BACKGROUND = "#ffffff";
    /** The destination that returns the encoded bytes in the job's result instead of storing them. */
    public static final String INLINE = "inline";

    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");

    public OutputSpec {
        SpecChecks.check(width != null || height != null, "an output needs a width, a height or both");
        SpecChecks.check(width == null || (width > 0 && width <= MAX_DIMENSION),
                "output width must be 1.." + MAX_DIMENSION + ", got " + width);
        SpecChecks.check(height == null || (height > 0 && height <= MAX_DIMENSION),
                "output height must be 1.." + MAX_DIMENSION + ", got " + height);
        fit = fit == null ? DEFAULT_FIT : fit;
        SpecChecks.check(fit == Fit.FIT || (width != null && height != null),
                "fit \"" + fit.jsonName() + "\" needs both width and height");
        gravity = gravity == null ? DEFAULT_GRAVITY : gravity;
        upscale = upscale != null && upscale;
        format = format == null ? DEFAULT_FORMAT : format;
        quality = quality == null ? DEFAULT_QUALITY : quality;
        SpecChecks.check(quality >= 1 && quality <= 100, "quality must be 1..100, got " + quality);
        progressive = progressive != null && progressive;
        background = background == null ? DEFAULT_BACKGROUND : background;
        SpecChecks.check(COLOUR.matcher(background).matches(), "background must be #rrggbb, got \"" + background + "\"");
        operations = operations == null ? List.of() : List.copyOf(operations);
        SpecChecks.check(destination != null && !destination.isBlank(),
                "an output needs a destination (a path, s3://bucket/key or \"inline\")");
    }

    /** Whether the encoded bytes come back in the result rather than being stored. */
    public boolean isInline() {
        return INLINE.equals(destination);
    }

    /** The background as 0xRRGGBB. */
    public int backgroundRgb() {
        return Integer.parseInt(background.substring(1), 16);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an output; unset fields take the {@code DEFAULT_*} values. */
    public static final class Builder {
        private Integer width;
        private Integer height;
        private Fit fit;
        private Gravity gravity;
        private Boolean upscale;
        private Format format;
        private Integer quality;
        private Boolean progressive;
        private String background;
        private List<Operation> operations = List.of();
        private String destination;

        private Builder() {}

        /** A square box, the usual thumbnail request. */
        public Builder size(int side) {
            return width(side).height(side);
        }

        public Builder width(Integer width) {
            this.width = width;
            return this;
        }

        public Builder height(Integer height) {
            this.height = height;
            return this;
        }

        public Builder fit(Fit fit) {
            this.fit = fit;
            return this;
        }

        public Builder gravity(Gravity gravity) {
            this.gravity = gravity;
            return this;
        }

        public Builder upscale(boolean upscale) {
            this.upscale = upscale;
            return this;
        }

        public Builder format(Format format) {
            this.format = format;
            return this;
        }

        public Builder quality(int quality) {
            this.quality = quality;
            return this;
        }

        public Builder progressive(boolean progressive) {
            this.progressive = progressive;
            return this;
        }

        public Builder background(String background) {
            this.background = background;
            return this;
        }

        public Builder operations(List<Operation> operations) {
            this.operations = Objects.requireNonNull(operations, "operations");
            return this;
        }

        public Builder destination(String destination) {
            this.destination = destination;
            return this;
        }

        public OutputSpec build() {
            return new OutputSpec(width, height, fit, gravity, upscale, format, quality, progressive, background,
                    operations, destination);
        }
    }
}
