package dev.gearfarm.images.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The payload framing: JSON, then optionally NUL and raw bytes. */
class PayloadTest {

    @Test
    void splitsAtTheFirstNulSoTheBlobMayContainMore() {
        byte[] raw = {'{', '}', 0, 1, 0, 2};
        Payload payload = Payload.parse(raw);
        assertThat(payload.json()).containsExactly('{', '}');
        assertThat(payload.blob()).containsExactly(1, 0, 2);
        assertThat(payload.hasBlob()).isTrue();
        assertThat(payload.toBytes()).containsExactly(raw);
    }

    @Test
    void withoutANulTheWholePayloadIsJson() {
        byte[] raw = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        Payload payload = Payload.parse(raw);
        assertThat(payload.json()).containsExactly(raw);
        assertThat(payload.hasBlob()).isFalse();
        assertThat(payload.toBytes()).containsExactly(raw);
    }

    @Test
    void anEmptyBlobAfterTheNulIsNoBlob() {
        Payload payload = Payload.parse(new byte[] {'x', 0});
        assertThat(payload.hasBlob()).isFalse();
        assertThat(payload.toBytes()).containsExactly('x');
    }

    @Test
    void whatPrintfBuildsParses() {
        // (printf '%s\0' "$json"; cat photo.jpg): the JSON, one NUL, the file's bytes.
        byte[] json = "{\"source\":\"inline\"}".getBytes(StandardCharsets.UTF_8);
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, 0, (byte) 0xff, (byte) 0xd9};
        byte[] raw = new byte[json.length + 1 + jpeg.length];
        System.arraycopy(json, 0, raw, 0, json.length);
        System.arraycopy(jpeg, 0, raw, json.length + 1, jpeg.length);
        Payload payload = Payload.parse(raw);
        assertThat(payload.json()).containsExactly(json);
        assertThat(payload.blob()).containsExactly(jpeg);
    }
}
