package dev.gearfarm.gearmand.store;

/** A store could not be opened, read or written. The message names the store and the cause. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
