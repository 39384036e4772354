package dev.gearfarm.images.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which part of an image is kept by a fill crop, or where a watermark sits. */
public enum Gravity {
    CENTRE(0.5, 0.5),
    NORTH(0.5, 0),
    SOUTH(0.5, 1),
    EAST(1, 0.5),
    WEST(0, 0.5),
    NORTH_EAST(1, 0),
    NORTH_WEST(0, 0),
    SOUTH_EAST(1, 1),
    SOUTH_WEST(0, 1);

    private final double x;
    private final double y;

    Gravity(double x, double y) {
        this.x = x;
        this.y = y;
    }

    /** Horizontal anchor: 0 is the left edge, 1 the right. */
    public double x() {
        return x;
    }

    /** Vertical anchor: 0 is the top edge, 1 the bottom. */
    public double y() {
        return y;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts compass names and the usual aliases ({@code center}, {@code top}, {@code bottom-left}…). */
    @JsonCreator
    public static Gravity of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        String alias = switch (n) {
            case "center", "middle" -> "centre";
            case "top" -> "north";
            case "bottom" -> "south";
            case "right" -> "east";
            case "left" -> "west";
            case "top-right" -> "north-east";
            case "top-left" -> "north-west";
            case "bottom-right" -> "south-east";
            case "bottom-left" -> "south-west";
            default -> n;
        };
        return Names.parse(Gravity.class, alias, values(),
                "centre, north, south, east, west, north-east, north-west, south-east, south-west");
    }
}
