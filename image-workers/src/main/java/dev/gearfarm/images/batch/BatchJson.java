package dev.gearfarm.images.batch;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gearfarm.images.ImageJobException;
import java.io.IOException;

/**
 * Reads the batch manifest and summary with the same strictness as the job contract's {@code JobJson}
 * (unknown fields refused, rule violations reported as the rule's own message), and writes them and leaf
 * job specs. Helper methods such as {@code OutputSpec.isInline()} are not written as fields: the strict
 * reader on the other side would refuse them.
 */
public final class BatchJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .build();

    private BatchJson() {}

    public static BatchManifest readManifest(byte[] json) {
        return read(json, BatchManifest.class, "batch manifest");
    }

    public static BatchSummary readSummary(byte[] json) {
        return read(json, BatchSummary.class, "batch summary");
    }

    /** The shared mapper, for writing report lines and summaries. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} as JSON bytes (a manifest, a summary, a leaf job spec). */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new ImageJobException(ImageJobException.Reason.INTERNAL, "cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof ImageJobException rule) {
                throw rule;
            }
            throw bad(what, e);
        } catch (JsonProcessingException e) {
            throw bad(what, e);
        } catch (IOException e) {
            throw new ImageJobException(ImageJobException.Reason.INTERNAL, what + ": " + e.getMessage(), e);
        }
    }

    private static ImageJobException bad(String what, JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + " column " + e.getLocation().getColumnNr();
        return new ImageJobException(ImageJobException.Reason.BAD_SPEC,
                "invalid " + what + where + ": " + e.getOriginalMessage(), e);
    }
}
