package dev.gearfarm.images.spec;

import java.util.Arrays;

/**
 * The framing of a job's payload and of its result: UTF-8 JSON, then optionally one NUL byte and raw
 * bytes. JSON text never contains a raw NUL (it must be escaped as {@code \u0000}), so the first NUL
 * ends the JSON unambiguously, and a shell can build a payload:
 * {@code (printf '%s\0' "$json"; cat photo.jpg) | gearman -f thumbnail}.
 *
 * <p>In a job the blob is the {@code inline} source image; in a result it is the concatenated bytes of
 * the {@code inline} outputs, each located by its {@code offset} and {@code bytes}.
 */
public record Payload(byte[] json, byte[] blob) {
    private static final byte[] NONE = new byte[0];

    public Payload {
        blob = blob == null ? NONE : blob;
    }

    /** Splits at the first NUL; with none, the whole payload is JSON and the blob is empty. */
    public static Payload parse(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                return new Payload(Arrays.copyOfRange(raw, 0, i), Arrays.copyOfRange(raw, i + 1, raw.length));
            }
        }
        return new Payload(raw, NONE);
    }

    /** The JSON, and the NUL and blob only when there is a blob. */
    public byte[] toBytes() {
        if (blob.length == 0) {
            return json;
        }
        byte[] out = Arrays.copyOf(json, json.length + 1 + blob.length);
        System.arraycopy(blob, 0, out, json.length + 1, blob.length);
        return out;
    }

    public boolean hasBlob() {
        return blob.length > 0;
    }
}
