package dev.gearfarm.gearmand.engine;

/**
 * What the engine needs to know from the command line.
 *
 * @param handlePrefix   job handles are {@code prefix:counter}; C gearmand uses {@code H:hostname}
 * @param maxAttempts    attempts before a job whose workers keep disappearing is failed; negative is unlimited
 * @param wakeupLimit    sleeping workers woken per new job; 0 wakes them all
 * @param exceptions     whether every connection starts with the {@code exceptions} option on
 * @param version        the text {@code version} replies with after {@code OK }
 */
public record EngineConfig(String handlePrefix, int maxAttempts, int wakeupLimit, boolean exceptions, String version) {
    public EngineConfig {
        if (handlePrefix == null || handlePrefix.isEmpty() || handlePrefix.length() > 40) {
            throw new IllegalArgumentException("job handle prefix must be 1-40 characters: " + handlePrefix);
        }
        if (wakeupLimit < 0) {
            throw new IllegalArgumentException("worker wakeup must be 0 (all) or more: " + wakeupLimit);
        }
    }
}
