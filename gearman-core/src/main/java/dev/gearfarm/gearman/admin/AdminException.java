package dev.gearfarm.gearman.admin;

import dev.gearfarm.gearman.GearmanException;
import java.util.regex.Pattern;

/**
 * The server answered an admin command with {@code ERR CODE text}, for example
 * {@code ERR UNKNOWN_COMMAND Unknown+server+commandbogus}. The connection stays usable.
 *
 * <p>C gearmand writes spaces in the text as {@code +}; {@link #text()} has them decoded. Two of its replies
 * have no code ({@code ERR function not found} and {@code ERR there are still connected workers or
 * executing clients}, both from {@code drop function}); for those {@link #code()} is empty and the whole
 * line after {@code ERR} is the text.
 */
public final class AdminException extends GearmanException {
    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]*");

    private final String command;
    private final String code;
    private final String text;
    private final String reply;

    private AdminException(String server, String command, String code, String text, String reply) {
        super(server + " refused '" + command + "': "
                + (code.isEmpty() ? text : text.isEmpty() ? code : code + " (" + text + ")"));
        this.command = command;
        this.code = code;
        this.text = text;
        this.reply = reply;
    }

    /** Parses {@code reply}, a line that starts with {@code "ERR "}, without its line ending. */
    static AdminException parse(String server, String command, String reply) {
        String rest = reply.substring("ERR ".length()).trim();
        int space = rest.indexOf(' ');
        String first = space < 0 ? rest : rest.substring(0, space);
        if (CODE.matcher(first).matches()) {
            return new AdminException(server, command, first, decode(rest.substring(first.length())), reply);
        }
        return new AdminException(server, command, "", decode(rest), reply);
    }

    private static String decode(String text) {
        return text.replace('+', ' ').trim();
    }

    /** The command as it was sent, such as {@code cancel job H:host:1}. */
    public String command() {
        return command;
    }

    /** The error code, such as {@code UNKNOWN_JOB}; empty when the server gave none. */
    public String code() {
        return code;
    }

    /** The server's explanation with {@code +} decoded to spaces; may be empty. */
    public String text() {
        return text;
    }

    /** The reply line exactly as received, line ending removed, for tools that print it verbatim. */
    public String reply() {
        return reply;
    }
}
