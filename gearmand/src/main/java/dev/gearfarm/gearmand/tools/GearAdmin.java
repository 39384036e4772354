package dev.gearfarm.gearmand.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
        List<String[]> actions = new ArrayList<>();
        if (createFunction != null) {
            actions.add(new String[] {"create function " + createFunction, "ok"});
        }
        if (dropFunction != null) {
            actions.add(new String[] {"drop function " + dropFunction, "ok"});
        }
        if (cancelJob != null) {
            actions.add(new String[] {"cancel job " + cancelJob, "ok"});
        }
        if (maxQueue != null) {
            actions.add(new String[] {"maxqueue " + maxQueue.get(0) + " " + maxQueue.get(1), "ok"});
        }
        addIf(actions, getpid, "getpid", "value");
        addIf(actions, showJobs, "show jobs", "list");
        addIf(actions, showUniqueJobs, "show unique jobs", "list");
        addIf(actions, serverVerbose, "verbose", "value");
        addIf(actions, serverVersion, "version", "value");
        addIf(actions, workers, "workers", "list");
        addIf(actions, priorityStatus, "prioritystatus", "list");
        addIf(actions, status, "status", "list");
        addIf(actions, shutdownGraceful, "shutdown graceful", "ok");
        addIf(actions, shutdown, "shutdown", "ok");
        if (actions.isEmpty()) {
            err.println("gearadmin: no action given (try gearadmin --help)");
            return 2;
        }
        int exit = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream toServer = socket.getOutputStream();
            InputStream fromServer = socket.getInputStream();
            for (String[] action : actions) {
                toServer.write((action[0] + "\n").getBytes(StandardCharsets.ISO_8859_1));
                toServer.flush();
                String reply = "list".equals(action[1]) ? readList(fromServer) : readLine(fromServer);
                if (reply.startsWith("ERR ")) {
                    err.println("Error: " + reply.substring(4).trim());
                    exit = 1;
                } else if ("value".equals(action[1]) && reply.startsWith("OK ")) {
                    out.print(reply.substring(3));
                } else if ("ok".equals(action[1])) {
                    out.println(reply.trim());
                } else {
                    out.print(reply);
                }
            }
        } catch (IOException e) {
            err.println("gearadmin: cannot talk to " + host + ":" + port + ": " + e.getMessage()
                    + " (is gearmand running? set the server with -h and -p)");
            return 1;
        }
        out.flush();
        return exit;
    }

    private static void addIf(List<String[]> actions, boolean wanted, String command, String kind) {
        if (wanted) {
            actions.add(new String[] {command, kind});
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            line.append((char) b);
            if (b == '\n') {
                break;
            }
        }
        if (line.length() == 0) {
            throw new IOException("the server closed the connection");
        }
        String text = line.toString();
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2) + "\n" : text;
    }

    private static String readList(InputStream in) throws IOException {
        StringBuilder list = new StringBuilder();
        while (true) {
            String line = readLine(in);
            if (list.length() == 0 && line.startsWith("ERR ")) {
                return line;
            }
            list.append(line);
            if (line.equals(".\n")) {
                return list.toString();
            }
        }
    }
}
