package dev.gearfarm.thumbnail;

/** Ends a command with a one-line message and an exit code ({@link ThumbnailCli#EXIT_USAGE} and friends). */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    static CliException usage(String message) {
        return new CliException(ThumbnailCli.EXIT_USAGE, message);
    }

    static CliException unreachable(String message, Throwable cause) {
        return new CliException(ThumbnailCli.EXIT_UNREACHABLE, message, cause);
    }
}
