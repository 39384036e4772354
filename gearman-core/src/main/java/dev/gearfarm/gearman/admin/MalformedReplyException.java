package dev.gearfarm.gearman.admin;

import dev.gearfarm.gearman.GearmanException;

/**
 * A reply line that does not have the form the command's reply is documented to have, or one over the
 * client's size limits. The message names the command, quotes the line and says what was expected.
 */
public final class MalformedReplyException extends GearmanException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final String line;

    MalformedReplyException(String server, String command, String line, String problem) {
        super("malformed reply from " + server + " to '" + command + "': " + problem
                + (line == null ? "" : " in line \"" + escape(line) + "\""));
        this.command = command;
        this.line = line;
    }

    /** The command whose reply was malformed. */
    public String command() {
        return command;
    }

    /** The offending line without its line ending; {@code null} when the problem is not one line's. */
    public String line() {
        return line;
    }

    /** Shows tabs and control characters, which decide how admin lines parse. */
    private static String escape(String line) {
        StringBuilder out = new StringBuilder(line.length() + 8);
        int shown = Math.min(line.length(), 200);
        for (int i = 0; i < shown; i++) {
            char c = line.charAt(i);
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '"', '\\' -> out.append('\\').append(c);
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (shown < line.length()) {
            out.append("...(").append(line.length()).append(" chars)");
        }
        return out.toString();
    }
}
