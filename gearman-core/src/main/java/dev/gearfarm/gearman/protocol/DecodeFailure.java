package dev.gearfarm.gearman.protocol;

/**
 * What the decoder emits instead of a packet when the input is malformed.
 *
 * <p>The decoder does not throw, so the handler can answer with an {@code ERROR} packet in the C server's
 * vocabulary. When {@code fatal} is true the byte stream cannot be resynchronised: the decoder discards
 * everything after it and the connection should be closed once the error is sent.
 *
 * @param code    the error code, a {@code gearman_return_t} name without its {@code GEARMAN_} prefix
 * @param message a sentence naming the problem and the offending value
 * @param fatal   whether the connection's byte stream is lost
 */
public record DecodeFailure(String code, String message, boolean fatal) {
}
