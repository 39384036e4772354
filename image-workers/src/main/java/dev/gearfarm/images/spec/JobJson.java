package dev.gearfarm.images.spec;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gearfarm.images.ImageJobException;
import java.io.IOException;

/** Reads and writes the contract's JSON, turning every parse problem into one BAD_SPEC message. */
public final class JobJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Helpers such as OutputSpec.isInline() are not fields: the strict reader would refuse them.
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .build();

    private JobJson() {}

    public static JobSpec readSpec(byte[] json) {
        return read(json, JobSpec.class, "job spec");
    }

    public static JobResult readResult(byte[] json) {
        return read(json, JobResult.class, "job result");
    }

    /** The shared mapper, for callers that stream JSON (report lines). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} as JSON bytes. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new ImageJobException(ImageJobException.Reason.INTERNAL, "cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads any of the farm's JSON documents with the contract's strictness; {@code what} names the
     * document in the BAD_SPEC message.
     */
    public static <T> T read(byte[] json, Class<T> type, String what) {
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
