package dev.gearfarm.gearman;

/**
 * A server did not answer a request within the response timeout. The connection is closed as well,
 * because replies are matched to requests in order and a missing one leaves the rest unmatchable.
 */
public class GearmanTimeoutException extends GearmanConnectionException {
    private static final long serialVersionUID = 1L;

    public GearmanTimeoutException(String server, String message) {
        super(server, message);
    }
}
