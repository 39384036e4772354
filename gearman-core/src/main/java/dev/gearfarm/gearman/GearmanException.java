package dev.gearfarm.gearman;

/** Root of every unchecked exception thrown by the Gearman library. */
public class GearmanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GearmanException(String message) {
        super(message);
    }

    public GearmanException(String message, Throwable cause) {
        super(message, cause);
    }
}
