package dev.gearfarm.gearman.admin;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.GearmanException;
import dev.gearfarm.gearman.GearmanTimeoutException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A blocking client for a job server's text admin protocol, on one TCP connection.
 *
 * <pre>{@code
 * try (GearmanAdmin admin = GearmanAdmin.connect(AdminOptions.builder().host("gearman1").build())) {
 *     for (FunctionStatus function : admin.status()) {
 *         System.out.println(function.name() + ": " + function.total() + " jobs");
 *     }
 * }
 * }</pre>
 *
 * <p>Commands go out one at a time, each after the previous reply has been read in full; calls from several
 * threads are serialised. Replies are parsed strictly: a line not in the form its record documents throws
 * {@link MalformedReplyException} naming it, and the connection stays usable. An {@code ERR} reply throws {@link AdminException}, and the connection stays
 * usable. A connection that fails, or a reply that does not arrive complete within
 * {@link AdminOptions#responseTimeout()} or is over the size limits, closes the connection, because the
 * next reply could no longer be matched to its command: every later call throws
 * {@link GearmanConnectionException} and a new {@code GearmanAdmin} is needed.
 *
 * <p>Text goes over the wire as ISO-8859-1, one char per byte, so a name read from a reply can be sent
 * back in a command unchanged whatever its encoding. Commands end in {@code \r\n}, as the C
 * {@code gearadmin} sends them: C gearmand's {@code create function} drops two characters for the line
 * ending, so with a bare {@code \n} it would create the name minus its last character.
 */
public final class GearmanAdmin implements AutoCloseable {

    /** Longest reply line accepted: a {@code workers} line lists every function of one connection. */
    static final int MAX_LINE_LENGTH = 1024 * 1024;
    /** Largest reply accepted, all lines counted. */
    static final long MAX_REPLY_LENGTH = 64L * 1024 * 1024;

    /** The commands whose reply is a list ending in a {@code .} line. */
    private static final Set<String> LIST_COMMANDS = Set.of("status", "prioritystatus", "workers", "show");
    /** What a function name or job handle may be: a command argument, so no spaces or control bytes. */
    private static final Pattern WORD = Pattern.compile("[^\\x00-\\x20\\x7f]+");
    /** The Perl server answers {@code version} without {@code OK}, such as {@code v1.130.1}. */
    private static final Pattern PERL_VERSION = Pattern.compile("v[0-9]\\S*");

    private final AdminOptions options;
    private final Socket socket;
    private final OutputStream out;
    private final LineReader in;
    /**
     * Why the connection was given up, once it has been. Volatile: {@link #close()} takes no lock, so it can
     * end a call blocked on a silent server from another thread.
     */
    private volatile String closedBecause;

    private GearmanAdmin(AdminOptions options, Socket socket) throws IOException {
        this.options = options;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new LineReader(socket);
    }

    /**
     * Connects to the server in {@code options}.
     *
     * @throws GearmanConnectionException when the server cannot be reached within the connect timeout
     */
    public static GearmanAdmin connect(AdminOptions options) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(options.host(), options.port()),
                    (int) options.connectTimeout().toMillis());
            socket.setTcpNoDelay(true);
            return new GearmanAdmin(options, socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new GearmanConnectionException(options.address(), "cannot connect to " + options.address()
                    + ": " + e.getMessage() + " (is the job server running there?)", e);
        }
    }

    /** Connects to {@code host:port} with the default timeouts. */
    public static GearmanAdmin connect(String host, int port) {
        return connect(AdminOptions.builder().host(host).port(port).build());
    }

    /** The options this client was connected with. */
    public AdminOptions options() {
        return options;
    }

    /** {@code status}: every function the server knows, in the server's order (C: hash order). */
    public List<FunctionStatus> status() {
        return parseList("status", FunctionStatus::parse);
    }

    /** {@code prioritystatus}: queued jobs per function and priority (not in the Perl server). */
    public List<PriorityStatus> priorityStatus() {
        return parseList("prioritystatus", PriorityStatus::parse);
    }

    /** {@code workers}: every connection, clients and admin connections (this one too) included. */
    public List<WorkerInfo> workers() {
        return parseList("workers", WorkerInfo::parse);
    }

    /** {@code show jobs}: every job the server holds. */
    public List<JobInfo> showJobs() {
        return parseList("show jobs", JobInfo::parse);
    }

    /** {@code show unique jobs}: the unique id of every job; empty strings for jobs submitted without one. */
    public List<String> showUniqueJobs() {
        return items("show unique jobs");
    }

    /** {@code version}: the server's version, such as {@code 1.1.20+ds} (the Perl server's {@code v1.130.1}). */
    public String version() {
        ReplyLine line = line("version");
        return PERL_VERSION.matcher(line.text()).matches() ? line.text() : line.okValue("version");
    }

    /** {@code getpid}: the server's process id. */
    public long getpid() {
        ReplyLine line = line("getpid");
        return line.number("pid", line.okValue("pid"), Long.MAX_VALUE);
    }

    /** {@code verbose}: the server's log level name, such as {@code INFO} or {@code ERROR}. */
    public String verbose() {
        return line("verbose").okValue("log level");
    }

    /**
     * {@code maxqueue FUNCTION SIZE}: limits the function's queue at every priority; 0 removes the limit.
     * C gearmand only limits functions it already knows and accepts an unknown name silently.
     */
    public void maxQueue(String function, int size) {
        expectOk("maxqueue " + word("function", function) + " " + size(size));
    }

    /** {@code maxqueue FUNCTION HIGH NORMAL LOW}: a limit per priority; 0 removes that limit. */
    public void maxQueue(String function, int high, int normal, int low) {
        expectOk("maxqueue " + word("function", function) + " " + size(high) + " " + size(normal) + " " + size(low));
    }

    /**
     * {@code cancel job HANDLE}: removes a queued job.
     *
     * @return false when the server does not know the handle ({@code ERR UNKNOWN_JOB})
     */
    public boolean cancelJob(String handle) {
        try {
            expectOk("cancel job " + word("job handle", handle));
            return true;
        } catch (AdminException e) {
            if (e.code().equals("UNKNOWN_JOB")) {
                return false;
            }
            throw e;
        }
    }

    /** {@code create function NAME}: makes the function known, so {@code status} lists it and {@code maxqueue} applies. */
    public void createFunction(String name) {
        expectOk("create function " + word("function", name));
    }

    /**
     * {@code drop function NAME}: forgets a function.
     *
     * @throws AdminException when it is unknown or still has workers or running jobs
     */
    public void dropFunction(String name) {
        expectOk("drop function " + word("function", name));
    }

    /**
     * {@code shutdown} or {@code shutdown graceful} (stop once the running jobs are done). Our server and the
     * Perl server have it; C gearmand answers {@code ERR UNKNOWN_COMMAND} and is stopped with a signal.
     */
    public void shutdown(boolean graceful) {
        expectOk(graceful ? "shutdown graceful" : "shutdown");
    }

    /**
     * Sends any command and returns its reply as received, every line ending written as {@code \n}. The
     * reply to {@code status}, {@code prioritystatus}, {@code workers} and {@code show ...} is read as a
     * list, up to and including its {@code .} line; any other reply is one line.
     *
     * @throws AdminException when the server answers {@code ERR}
     */
    public String command(String command) {
        if (command == null || command.isBlank() || command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an admin command is one non-empty line: '" + command + "'");
        }
        String name = command.trim().split(" ", 2)[0].toLowerCase(Locale.ROOT);
        StringBuilder reply = new StringBuilder();
        for (String line : exchange(command, LIST_COMMANDS.contains(name))) {
            reply.append(line).append('\n');
        }
        return reply.toString();
    }

    /** Closes the connection. Later calls throw {@link GearmanConnectionException}. */
    @Override
    public void close() {
        if (closedBecause == null) {
            closedBecause = "this GearmanAdmin was closed";
        }
        closeQuietly(socket);
    }

    private <T> List<T> parseList(String command, Function<ReplyLine, T> parser) {
        List<T> parsed = new ArrayList<>();
        for (String item : items(command)) {
            parsed.add(parser.apply(new ReplyLine(options.address(), command, item)));
        }
        return List.copyOf(parsed);
    }

    /** The lines of a list reply, without the final {@code .}. */
    private List<String> items(String command) {
        List<String> lines = exchange(command, true);
        return List.copyOf(lines.subList(0, lines.size() - 1));
    }

    private ReplyLine line(String command) {
        return new ReplyLine(options.address(), command, exchange(command, false).get(0));
    }

    private void expectOk(String command) {
        ReplyLine line = line(command);
        if (!line.text().equals("OK")) {
            throw line.malformed("expected OK");
        }
    }

    /**
     * Sends {@code command} and reads its reply: one line, or for a list every line up to and including the
     * {@code .} line. An {@code ERR} first line throws {@link AdminException} (a list may not follow it).
     */
    private synchronized List<String> exchange(String command, boolean list) {
        if (closedBecause != null) {
            throw new GearmanConnectionException(options.address(), "cannot send '" + command + "' to "
                    + options.address() + ": " + closedBecause);
        }
        try {
            out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long deadline = System.nanoTime() + options.responseTimeout().toNanos();
            List<String> lines = new ArrayList<>();
            long size = 0;
            while (true) {
                String line = in.readLine(deadline, MAX_LINE_LENGTH);
                if (line == null) {
                    throw giveUp(new MalformedReplyException(options.address(), command, null,
                            "a line is longer than " + MAX_LINE_LENGTH + " bytes"));
                }
                if (lines.isEmpty() && line.startsWith("ERR ")) {
                    throw AdminException.parse(options.address(), command, line);
                }
                lines.add(line);
                size += line.length() + 1;
                if (!list || line.equals(".")) {
                    return lines;
                }
                if (size > MAX_REPLY_LENGTH) {
                    throw giveUp(new MalformedReplyException(options.address(), command, null,
                            "the reply is longer than " + MAX_REPLY_LENGTH + " bytes"));
                }
            }
        } catch (SocketTimeoutException e) {
            GearmanTimeoutException timeout = new GearmanTimeoutException(options.address(), "no complete reply to '"
                    + command + "' from " + options.address() + " within " + options.responseTimeout().toMillis()
                    + " ms; the connection is closed");
            timeout.initCause(e);
            throw giveUp(timeout);
        } catch (IOException e) {
            throw giveUp(new GearmanConnectionException(options.address(), "connection to " + options.address()
                    + " failed during '" + command + "': " + e.getMessage(), e));
        }
    }

    /** Closes the connection for good after {@code failure}, which the caller throws. */
    private GearmanException giveUp(GearmanException failure) {
        closedBecause = "the connection was closed after an earlier failure: " + failure.getMessage();
        closeQuietly(socket);
        return failure;
    }

    private static String word(String what, String value) {
        if (value == null || !WORD.matcher(value).matches()) {
            throw new IllegalArgumentException("the " + what + " '" + value + "' cannot be sent in an admin command:"
                    + " it must be non-empty, without spaces or control characters, as the protocol splits"
                    + " arguments on spaces");
        }
        return value;
    }

    private static int size(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("a queue size must be 0 (unlimited) or more: " + size);
        }
        return size;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing is left to release and nobody to tell: the socket is unusable either way.
        }
    }
}
