package dev.gearfarm.images.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An output encoding. */
public enum Format {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    WEBP("image/webp", "webp");

    private final String mediaType;
    private final String extension;

    Format(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The file-name extension outputs get, without the dot. */
    public String extension() {
        return extension;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Format of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Names.parse(Format.class, n.equals("jpg") ? "jpeg" : n, values(), "jpeg, png, webp");
    }
}
