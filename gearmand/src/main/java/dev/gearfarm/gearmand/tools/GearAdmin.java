package dev.gearfarm.gearmand.tools;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.GearmanException;
import dev.gearfarm.gearman.admin.AdminException;
import dev.gearfarm.gearman.admin.AdminOptions;
import dev.gearfarm.gearman.admin.GearmanAdmin;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gearadmin}: runs text admin commands against any Gearman server and prints the replies as the C
 * tool does (list replies verbatim, {@code OK } stripped from single values, {@code ERR} as
 * {@code Error: ...} on stderr). Unlike the C tool it exits 1 when the server answered an error.
 *
 * <p>It prints what the server sent rather than the parsed records of {@link GearmanAdmin}'s typed
 * methods, so that a reply is shown as it came even from a server whose format differs (the Perl server's
 * {@code version}, a line our parser would reject); it uses {@link GearmanAdmin#command(String)} for the
 * connection, framing, timeouts and {@code ERR} replies.
 */
@Command(name = "gearadmin", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Query and manage a Gearman job server through its text admin protocol.", ""},
        footer = {"", "Several actions may be given; they run in the C gearadmin's order.",
            "Exit codes: 0 success, 1 the server answered an error or could not be reached, 2 bad usage."})
public final class GearAdmin implements Callable<Integer> {

    @Option(names = {"-h", "--host"}, paramLabel = "HOST", defaultValue = "${env:GEARMAN_HOST:-localhost}",
            description = "Server host (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "${env:GEARMAN_PORT:-4730}",
            description = "Server port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--create-function", paramLabel = "FUNCTION", description = "Create a function name.")
    String createFunction;

    @Option(names = "--drop-function", paramLabel = "FUNCTION",
            description = "Drop a function that has no workers and no jobs.")
    String dropFunction;

    @Option(names = "--cancel-job", paramLabel = "HANDLE", description = "Remove a job from the queue.")
    String cancelJob;

    @Option(names = "--maxqueue", arity = "2", paramLabel = "FUNCTION SIZE",
            description = "Limit a function's queue (0 = unlimited).")
    List<String> maxQueue;

    @Option(names = "--getpid", description = "Print the server's process id.")
    boolean getpid;

    @Option(names = "--show-jobs", description = "List every job: handle, retries, ignored, background.")
    boolean showJobs;

    @Option(names = "--show-unique-jobs", description = "List the unique id of every job.")
    boolean showUniqueJobs;

    @Option(names = "--server-verbose", description = "Print the server's log level.")
    boolean serverVerbose;

    @Option(names = "--server-version", description = "Print the server's version.")
    boolean serverVersion;

    @Option(names = "--workers", description = "List connections: fd, address, client id : functions.")
    boolean workers;

    @Option(names = "--priority-status", description = "Queued jobs per function by priority: high, normal, low, workers.")
    boolean priorityStatus;

    @Option(names = "--status", description = "Per function: total jobs, running, available workers.")
    boolean status;

    @Option(names = "--shutdown", description = "Stop the server (ours and the Perl server).")
    boolean shutdown;

    @Option(names = "--shutdown-graceful", description = "Stop the server once its jobs have finished.")
    boolean shutdownGraceful;

    @Option(names = "--help", usageHelp = true, description = "Print this help and exit.")
    boolean help;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    /** How a reply is printed. */
    private enum Kind {
        /** An acknowledgement: the line, trimmed. */
        OK,
        /** A single value: the line without its {@code OK } prefix. */
        VALUE,
        /** A list: verbatim, {@code .} line included. */
        LIST
    }

    /** One command to send and how to print its reply. */
    private record Action(String command, Kind kind) {
    }

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new GearAdmin());
        commandLine.setParameterExceptionHandler((e, badArgs) -> {
            e.getCommandLine().getErr().println("gearadmin: " + e.getMessage() + " (try gearadmin --help)");
            return 2;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() {
        List<Action> actions = new ArrayList<>();
        if (createFunction != null) {
            actions.add(new Action("create function " + createFunction, Kind.OK));
        }
        if (dropFunction != null) {
            actions.add(new Action("drop function " + dropFunction, Kind.OK));
        }
        if (cancelJob != null) {
            actions.add(new Action("cancel job " + cancelJob, Kind.OK));
        }
        if (maxQueue != null) {
            actions.add(new Action("maxqueue " + maxQueue.get(0) + " " + maxQueue.get(1), Kind.OK));
        }
        addIf(actions, getpid, "getpid", Kind.VALUE);
        addIf(actions, showJobs, "show jobs", Kind.LIST);
        addIf(actions, showUniqueJobs, "show unique jobs", Kind.LIST);
        addIf(actions, serverVerbose, "verbose", Kind.VALUE);
        addIf(actions, serverVersion, "version", Kind.VALUE);
        addIf(actions, workers, "workers", Kind.LIST);
        addIf(actions, priorityStatus, "prioritystatus", Kind.LIST);
        addIf(actions, status, "status", Kind.LIST);
        addIf(actions, shutdownGraceful, "shutdown graceful", Kind.OK);
        addIf(actions, shutdown, "shutdown", Kind.OK);
        if (actions.isEmpty()) {
            err.println("gearadmin: no action given (try gearadmin --help)");
            return 2;
        }
        int exit = 0;
        try (GearmanAdmin admin = GearmanAdmin.connect(AdminOptions.builder().host(host).port(port)
                .connectTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(10)).build())) {
            for (Action action : actions) {
                try {
                    print(action.kind(), admin.command(action.command()));
                } catch (AdminException e) {
                    err.println("Error: " + e.reply().substring("ERR ".length()).trim());
                    exit = 1;
                }
            }
        } catch (GearmanException e) {
            // A lost connection is described in the socket's own words ("Connection refused", "Read timed
            // out"), as gearadmin printed them before it used GearmanAdmin.
            String reason = e instanceof GearmanConnectionException && e.getCause() != null
                    ? e.getCause().getMessage() : e.getMessage();
            err.println("gearadmin: cannot talk to " + host + ":" + port + ": " + reason
                    + " (is gearmand running? set the server with -h and -p)");
            return 1;
        } catch (IllegalArgumentException e) {
            // A port out of range, or an argument with a line break that would smuggle in a second command.
            err.println("gearadmin: " + e.getMessage() + " (try gearadmin --help)");
            return 1;
        }
        out.flush();
        return exit;
    }

    private void print(Kind kind, String reply) {
        switch (kind) {
            case OK -> out.println(reply.trim());
            case VALUE -> out.print(reply.startsWith("OK ") ? reply.substring(3) : reply);
            case LIST -> out.print(reply);
        }
    }

    private static void addIf(List<Action> actions, boolean wanted, String command, Kind kind) {
        if (wanted) {
            actions.add(new Action(command, kind));
        }
    }
}
