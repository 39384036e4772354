package dev.gearfarm.images.source;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;

/** Fetches {@code http://} and {@code https://} URLs within byte, time and redirect limits. */
public final class HttpSource implements ImageSource {
    private final HttpSourceOptions options;

    public HttpSource(HttpSourceOptions options) {
        this.options = options;
    }

    @Override
    public boolean handles(String reference) {
        return reference != null && (reference.regionMatches(true, 0, "http://", 0, 7)
                || reference.regionMatches(true, 0, "https://", 0, 8));
    }

    @Override
    public byte[] fetch(String reference) {
        throw new ImageJobException(Reason.INTERNAL, "HTTP sources are not implemented yet: " + reference
                + " (max " + options.maxBytes() + " bytes)");
    }
}
