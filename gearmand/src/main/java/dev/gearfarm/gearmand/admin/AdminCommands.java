package dev.gearfarm.gearmand.admin;

import dev.gearfarm.gearmand.engine.Engine;
import dev.gearfarm.gearmand.engine.TextCommands;
import dev.gearfarm.gearmand.engine.Views.ConnectionView;
import dev.gearfarm.gearmand.engine.Views.FunctionView;
import dev.gearfarm.gearmand.engine.Views.JobView;
import java.util.Locale;

/**
 * The text admin commands and their exact replies.
 *
 * <p>Replies copy C gearmand 1.1.20 byte for byte, including its line endings (most acknowledgements end
 * in {@code \r\n}; {@code version}, {@code getpid} and {@code verbose} in {@code \n}). Two C bugs are not
 * copied: {@code create function} creates the name it was given (C drops the last character), and
 * {@code cancel job} removes a queued job at once (C keeps counting it until a worker grabs).
 * {@code shutdown [graceful]} comes from the Perl server.
 */
public final class AdminCommands implements TextCommands {

    private static final String OK = "OK\r\n";
    private final long pid = ProcessHandle.current().pid();

    @Override
    public String execute(String line, Engine engine) {
        String[] words = line.trim().split(" +");
        String command = words[0].toLowerCase(Locale.ROOT);
        return switch (command) {
            case "status" -> status(engine);
            case "prioritystatus" -> priorityStatus(engine);
            case "workers" -> workers(engine);
            case "show" -> show(words, engine);
            case "cancel" -> cancel(words, engine);
            case "maxqueue" -> maxQueue(words, engine);
            case "create" -> create(words, engine);
            case "drop" -> drop(words, engine);
            case "version" -> "OK " + engine.version() + "\n";
            case "getpid" -> "OK " + pid + "\n";
            case "verbose" -> "OK " + engine.verboseLevel() + "\n";
            case "shutdown" -> shutdown(words, engine);
            default -> "ERR UNKNOWN_COMMAND Unknown+server+command" + words[0] + "\r\n";
        };
    }

    private static String status(Engine engine) {
        StringBuilder out = new StringBuilder();
        for (FunctionView function : engine.functions()) {
            out.append(function.name()).append('\t').append(function.total()).append('\t')
                    .append(function.running()).append('\t').append(function.workers()).append('\n');
        }
        return out.append(".\n").toString();
    }

    private static String priorityStatus(Engine engine) {
        StringBuilder out = new StringBuilder();
        for (FunctionView function : engine.functions()) {
            out.append(function.name()).append('\t').append(function.high()).append('\t')
                    .append(function.normal()).append('\t').append(function.low()).append('\t')
                    .append(function.workers()).append('\n');
        }
        return out.append(".\n").toString();
    }

    private static String workers(Engine engine) {
        StringBuilder out = new StringBuilder();
        for (ConnectionView connection : engine.connections()) {
            out.append(connection.id()).append(' ').append(connection.host()).append(' ')
                    .append(connection.clientId()).append(" :");
            for (String function : connection.functions()) {
                out.append(' ').append(function);
            }
            out.append('\n');
        }
        return out.append(".\n").toString();
    }

    private static String show(String[] words, Engine engine) {
        if (words.length == 2 && words[1].equalsIgnoreCase("jobs")) {
            StringBuilder out = new StringBuilder();
            for (JobView job : engine.jobs()) {
                out.append(job.handle()).append('\t').append(job.retries()).append('\t')
                        .append(job.ignored() ? 1 : 0).append('\t').append(job.background() ? 1 : 0).append('\n');
            }
            return out.append(".\n").toString();
        }
        if (words.length == 3 && words[1].equalsIgnoreCase("unique") && words[2].equalsIgnoreCase("jobs")) {
            StringBuilder out = new StringBuilder();
            for (JobView job : engine.jobs()) {
                out.append(job.unique()).append('\n');
            }
            return out.append(".\n").toString();
        }
        return "ERR UNKNOWN_SHOW_ARGUMENTS\r\n";
    }

    private static String cancel(String[] words, Engine engine) {
        if (words.length != 3 || !words[1].equalsIgnoreCase("job")) {
            return incomplete("cancel+job");
        }
        return engine.cancel(words[2]) ? OK : "ERR UNKNOWN_JOB\r\n";
    }

    private static String maxQueue(String[] words, Engine engine) {
        if (words.length < 2) {
            return incomplete(words[0]);
        }
        int high;
        int normal;
        int low;
        try {
            if (words.length >= 4) {
                // Like C gearmand: "FUNC H N" limits high and normal and leaves low unlimited.
                high = Integer.parseInt(words[2]);
                normal = Integer.parseInt(words[3]);
                low = words.length >= 5 ? Integer.parseInt(words[4]) : 0;
            } else if (words.length == 3) {
                high = normal = low = Integer.parseInt(words[2]);
            } else {
                high = normal = low = 0;
            }
        } catch (NumberFormatException e) {
            return "ERR INVALID_ARGUMENTS Queue+size+must+be+a+number\r\n";
        }
        // Like C gearmand, an unknown function is silently accepted.
        engine.maxQueue(words[1], high, normal, low);
        return OK;
    }

    private static String create(String[] words, Engine engine) {
        if (words.length != 3 || !words[1].equalsIgnoreCase("function")) {
            return incomplete(words[0]);
        }
        engine.createFunction(words[2]);
        return OK;
    }

    private static String drop(String[] words, Engine engine) {
        if (words.length != 3 || !words[1].equalsIgnoreCase("function")) {
            return incomplete(words[0]);
        }
        return switch (engine.dropFunction(words[2])) {
            case DROPPED -> OK;
            case NOT_FOUND -> "ERR function not found\r\n";
            case IN_USE -> "ERR there are still connected workers or executing clients\r\n";
        };
    }

    private static String shutdown(String[] words, Engine engine) {
        boolean graceful = words.length == 2 && words[1].equalsIgnoreCase("graceful");
        if (words.length > 1 && !graceful) {
            // A mistyped "graceful" must not stop the server at once.
            return incomplete(words[0]);
        }
        engine.shutdown(graceful);
        return "OK\n";
    }

    /** C gearmand's reply to missing or extra arguments; it names the command as it was typed. */
    private static String incomplete(String command) {
        return "ERR INVALID_ARGUMENTS An+incomplete+set+of+arguments+was+sent+to+this+command+" + command + "\r\n";
    }
}
