package dev.gearfarm.gearmand.tools;

import dev.gearfarm.gearman.GearmanException;
import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobFuture;
import dev.gearfarm.gearman.client.JobListener;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.gearman.client.Priority;
import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearman.worker.WorkFailedException;
import dev.gearfarm.gearman.worker.WorkerJob;
import dev.gearfarm.gearman.worker.WorkerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gearman}: submits jobs from the command line, or runs a command as a worker, with the C tool's
 * flags and output. Client mode prints each job's data and result as they come, with nothing added; worker
 * mode feeds each job's payload to the command's stdin and returns its stdout.
 *
 * <p>Deliberate differences from the C tool, also listed in {@code --help}: a failed job, an unreachable
 * server and a timeout exit 1 with one line on stderr (C exits 0 for the last two, and hangs on a job
 * that threw); with several {@code -f} the jobs run in the order given (C: reverse order); {@code -w -n}
 * sends each output line once (C resends everything so far with each line).
 */
@Command(name = "gearman", sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = {"gearman [options] [<data> ...]                        (client mode)",
            "       gearman -w [options] [--] [<command> [<args> ...]]   (worker mode)"},
        description = {"", "Submit jobs to Gearman job servers, or run a command as a Gearman worker.", ""},
        footer = {"",
            "Client mode submits one job per <data> argument, else one job with all of",
            "stdin (one per line with -n or -N), and writes what the worker sends (data",
            "chunks, then the result) to stdout as is.",
            "Worker mode runs <command> once per job with the payload on its stdin; its",
            "stdout is the result and a non-zero exit status fails the job. Without a",
            "command the payload is written to stdout.",
            "",
            "Unlike the C gearman: a failed job, an unreachable server and a timeout",
            "exit 1 with one line on stderr (C exits 0, and waits forever for a job",
            "that threw an exception); several -f run in the order given (C: reverse);",
            "-w -n sends each output line once (C resends all lines so far with each).",
            "",
            "Exit codes: 0 success, 1 a job failed or a server could not be reached,",
            "2 bad usage."})
public final class GearmanCli implements Callable<Integer> {

    @Option(names = "-f", paramLabel = "FUNCTION", description = "Function name to use for jobs (can give many).")
    List<String> functions = new ArrayList<>();

    @Option(names = "-h", paramLabel = "HOST", description = "Job server host, or HOST:PORT (can give many; "
            + "default $GEARMAN_HOST or localhost).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "-p", paramLabel = "PORT", description = "Job server port: one for every host, or one per "
            + "-h in order (default $GEARMAN_PORT or 4730).")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "-t", paramLabel = "TIMEOUT", description = "Timeout in milliseconds: for each job's result "
            + "(client), or for each run of the command, which is then killed and the job failed (worker).")
    Long timeoutMillis;

    @Option(names = "-i", paramLabel = "PIDFILE", description = "Create a pidfile for the process.")
    Path pidFile;

    @Option(names = "-w", description = "Run in worker mode.")
    boolean worker;

    @Option(names = "-b", description = "Run jobs in the background (client).")
    boolean background;

    @Option(names = "-I", description = "Run jobs as high priority (client).")
    boolean high;

    @Option(names = "-L", description = "Run jobs as low priority (client).")
    boolean low;

    @Option(names = "-n", description = "Client: one job per line of stdin. Worker: send a data packet for each "
            + "line the command prints.")
    boolean lines;

    @Option(names = "-N", description = "Same as -n, but strip off the newline.")
    boolean linesStripped;

    @Option(names = "-P", description = "Prefix all output lines with function names (client).")
    boolean prefix;

    @Option(names = "-s", description = "Send job without reading from standard input (client).")
    boolean noStdin;

    @Option(names = "-u", paramLabel = "UNIQUE", description = "Unique key to use for jobs (client).")
    String unique;

    @Option(names = "-c", paramLabel = "COUNT", description = "Number of jobs for the worker to run before "
            + "exiting (0 = run until stopped).")
    int count;

    @Option(names = {"-H", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;

    @Parameters(paramLabel = "ARG", description = "Client: job data. Worker: the command and its arguments.")
    List<String> arguments = new ArrayList<>();

    private static final int DEFAULT_PORT = 4730;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    /** Bad usage, reported as one line and exit status 2. */
    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new GearmanCli())
                // "gearman -w -f f sh -c 'cmd'": what follows the command belongs to it, as with getopt.
                .setStopAtPositional(true);
        commandLine.setParameterExceptionHandler((e, badArgs) -> {
            e.getCommandLine().getErr().println("gearman: " + e.getMessage() + " (try gearman --help)");
            return 2;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<String> servers;
        try {
            servers = servers();
            check();
        } catch (UsageException | IllegalArgumentException e) {
            err.println("gearman: " + e.getMessage() + " (try gearman --help)");
            return 2;
        }
        if (pidFile != null) {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            pidFile.toFile().deleteOnExit();
        }
        return worker ? work(servers) : submit(servers);
    }

    private void check() {
        if (functions.isEmpty()) {
            throw new UsageException("no function given; use -f FUNCTION");
        }
        if (high && low) {
            throw new UsageException("-I and -L together: a job has one priority");
        }
        if (lines && linesStripped) {
            throw new UsageException("-n and -N together: pick one");
        }
        if (timeoutMillis != null && timeoutMillis <= 0) {
            throw new UsageException("-t must be a positive number of milliseconds: " + timeoutMillis);
        }
        if (worker) {
            for (String[] clientOnly : new String[][] {{"-b", flag(background)}, {"-I", flag(high)},
                {"-L", flag(low)}, {"-P", flag(prefix)}, {"-s", flag(noStdin)}, {"-u", unique}}) {
                if (clientOnly[1] != null) {
                    throw new UsageException(clientOnly[0] + " is a client option; it does nothing with -w");
                }
            }
            if (count < 0) {
                throw new UsageException("-c must not be negative: " + count);
            }
        } else {
            if (count != 0) {
                throw new UsageException("-c is a worker option (-w)");
            }
            if (noStdin && (lines || linesStripped)) {
                throw new UsageException("-s reads no stdin, so -n/-N have no lines to read");
            }
        }
    }

    private static String flag(boolean set) {
        return set ? "set" : null;
    }

    /** Servers from -h and -p: one -p for all hosts, or one per host in order; HOST:PORT keeps its port. */
    private List<String> servers() {
        List<String> hostList = new ArrayList<>(hosts);
        List<Integer> portList = new ArrayList<>(ports);
        if (portList.isEmpty()) {
            String env = System.getenv("GEARMAN_PORT");
            portList.add(env == null || env.isBlank() ? DEFAULT_PORT : Integer.parseInt(env.trim()));
        }
        if (hostList.isEmpty()) {
            String env = System.getenv("GEARMAN_HOST");
            String host = env == null || env.isBlank() ? "localhost" : env;
            // Several -p without -h: that many servers on the one host.
            for (int i = 0; i < portList.size(); i++) {
                hostList.add(host);
            }
        }
        if (portList.size() != 1 && portList.size() != hostList.size()) {
            throw new UsageException(hostList.size() + " hosts but " + portList.size()
                    + " ports; give one -p for all hosts or one per -h");
        }
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < hostList.size(); i++) {
            String host = hostList.get(i);
            int port = portList.get(portList.size() == 1 ? 0 : i);
            boolean bareIpv6 = host.indexOf(':') != host.lastIndexOf(':') && !host.startsWith("[");
            boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":") && !bareIpv6;
            String server = hasPort ? host : bareIpv6 ? "[" + host + "]:" + port : host + ":" + port;
            if (!servers.contains(server)) {
                servers.add(server);
            }
        }
        return servers;
    }

    // Client mode.

    private int submit(List<String> servers) throws IOException, InterruptedException {
        List<byte[]> payloads = payloads();
        Priority priority = high ? Priority.HIGH : low ? Priority.LOW : Priority.NORMAL;
        try (GearmanClient client = GearmanClient.create(ClientOptions.builder().servers(servers)
                .clientId("gearman").build())) {
            for (byte[] payload : payloads) {
                for (String function : functions) {
                    JobRequest request = JobRequest.builder(function).payload(payload).priority(priority)
                            .unique(unique == null ? "" : unique).build();
                    String failure = background ? submitBackground(client, request) : run(client, request);
                    if (failure != null) {
                        out.flush();
                        err.println("gearman: " + failure);
                        return 1;
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("gearman: " + e.getMessage());
            return 2;
        }
        out.flush();
        return 0;
    }

    private List<byte[]> payloads() throws IOException {
        if (!arguments.isEmpty()) {
            List<byte[]> payloads = new ArrayList<>();
            for (String argument : arguments) {
                payloads.add(argument.getBytes(StandardCharsets.UTF_8));
            }
            return payloads;
        }
        if (noStdin) {
            return List.of(new byte[0]);
        }
        byte[] input = System.in.readAllBytes();
        if (!lines && !linesStripped) {
            return List.of(input);
        }
        List<byte[]> payloads = new ArrayList<>();
        int start = 0;
        while (start < input.length) {
            int newline = start;
            while (newline < input.length && input[newline] != '\n') {
                newline++;
            }
            int end = linesStripped || newline == input.length ? newline : newline + 1;
            payloads.add(Arrays.copyOfRange(input, start, end));
            start = newline + 1;
        }
        return payloads;
    }

    /** Runs a foreground job, printing its data and result; null, or why it failed. */
    private String run(GearmanClient client, JobRequest request) throws InterruptedException {
        byte[] label = prefix ? (request.function() + ": ").getBytes(StandardCharsets.UTF_8) : new byte[0];
        JobFuture job = client.submit(request, new JobListener() {
            @Override
            public void onData(byte[] data) {
                print(label, data);
            }
        });
        try {
            print(label, await(job.result(), request));
            return null;
        } catch (GearmanException | TimeoutException e) {
            return e.getMessage();
        }
    }

    private String submitBackground(GearmanClient client, JobRequest request) throws InterruptedException {
        try {
            await(client.submitBackground(request), request);
            return null;
        } catch (GearmanException | TimeoutException e) {
            return e.getMessage();
        }
    }

    private <T> T await(Future<T> future, JobRequest request) throws InterruptedException, TimeoutException {
        try {
            if (timeoutMillis == null) {
                return future.get();
            }
            try {
                return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new TimeoutException("no " + (background ? "answer from the server" : "result") + " for "
                        + request.function() + " within " + timeoutMillis + " ms (-t)");
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof GearmanException gearman ? gearman
                    : new GearmanException(request.function() + " job failed: " + cause, cause);
        }
    }

    private void print(byte[] label, byte[] data) {
        synchronized (out) {
            out.write(label, 0, label.length);
            out.write(data, 0, data.length);
            out.flush();
        }
    }

    // Worker mode.

    private int work(List<String> servers) {
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        GearmanWorker gearmanWorker = GearmanWorker.create(WorkerOptions.builder().servers(servers).concurrency(1)
                .build());
        // Ctrl-C or kill: finish the running job and send its result before exiting.
        Runtime.getRuntime().addShutdownHook(new Thread(gearmanWorker::close, "gearman-shutdown"));
        for (String function : functions) {
            gearmanWorker.register(function, job -> {
                try {
                    return arguments.isEmpty() ? echo(job) : runCommand(job);
                } finally {
                    if (count > 0 && done.incrementAndGet() == count) {
                        gearmanWorker.closeAsync().thenRun(() -> stopped.complete(null));
                    }
                }
            });
        }
        stopped.join();
        return 0;
    }

    /** Without a command, as the C tool: the payload goes to stdout and the result is empty. */
    private byte[] echo(WorkerJob job) {
        print(new byte[0], job.payload());
        return new byte[0];
    }

    private byte[] runCommand(WorkerJob job) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(arguments).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            err.println("gearman: cannot run " + arguments.get(0) + ": " + e.getMessage());
            throw new IOException("cannot run " + arguments.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<Void> fed = CompletableFuture.runAsync(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(job.payload());
            } catch (IOException e) {
                // The command exited without reading all its input; its exit status tells the rest.
            }
        });
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream(), job));
        boolean exited = timeoutMillis == null ? process.waitFor() >= 0
                : process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
            throw new WorkFailedException(arguments.get(0) + " ran longer than " + timeoutMillis + " ms (-t)");
        }
        fed.join();
        byte[] result = output.join();
        if (process.exitValue() != 0) {
            throw new WorkFailedException(arguments.get(0) + " exited with status " + process.exitValue());
        }
        return result;
    }

    /** The command's stdout; with -n/-N sent line by line as data, and the result is then empty. */
    private byte[] read(InputStream stdout, WorkerJob job) {
        try (stdout) {
            if (!lines && !linesStripped) {
                return stdout.readAllBytes();
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = stdout.read(); b >= 0; b = stdout.read()) {
                if (b == '\n') {
                    if (lines) {
                        line.write(b);
                    }
                    job.sendData(line.toByteArray());
                    line.reset();
                } else {
                    line.write(b);
                }
            }
            if (line.size() > 0) {
                job.sendData(line.toByteArray());
            }
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
