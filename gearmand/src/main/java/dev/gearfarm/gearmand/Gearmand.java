package dev.gearfarm.gearmand;

import dev.gearfarm.gearman.protocol.ProtocolLimits;
import dev.gearfarm.gearmand.config.Logging;
import dev.gearfarm.gearmand.config.QueueOptions;
import dev.gearfarm.gearmand.config.ServerConfig;
import dev.gearfarm.gearmand.engine.EngineConfig;
import dev.gearfarm.gearmand.engine.JobEvents;
import dev.gearfarm.gearmand.metrics.MetricsEndpoint;
import dev.gearfarm.gearmand.metrics.ServerMetrics;
import dev.gearfarm.gearmand.net.GearmanServer;
import dev.gearfarm.gearmand.store.JobStore;
import dev.gearfarm.gearmand.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code gearmand} command: a job server that takes C gearmand's flags. */
@Command(name = "gearmand", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Gearman job server. Clients submit jobs, workers that registered the job's function run them;",
            "speaks the Gearman binary and text admin protocols on one port, like C gearmand 1.1.20.", ""},
        footer = {"", "Environment: GEARMAND_PORT sets the default port; GEARMAND_QUEUE_TYPE, GEARMAND_QUEUE_DIR,",
            "GEARMAND_JDBC_URL, GEARMAND_LIBPQ_CONNINFO, GEARMAND_LIBPQ_TABLE and GEARMAND_MYSQL_HOST, _PORT, _USER,",
            "_PASSWORD, _DB, _TABLE the persistent-queue defaults.",
            "Stop with SIGTERM/SIGINT, or the admin command 'shutdown [graceful]'."})
public final class Gearmand implements Callable<Integer> {

    /** This server's version. */
    public static final String VERSION = versionOf();

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "${env:GEARMAND_PORT:-4730}",
            description = "Port to listen on (default ${DEFAULT-VALUE}; 0 picks a free port).")
    int port;

    @Option(names = {"-L", "--listen"}, paramLabel = "ADDRESS",
            description = "Address to listen on; repeatable (default: all addresses).")
    List<String> listen = new ArrayList<>();

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "1",
            description = {"I/O threads (default ${DEFAULT-VALUE}; 0 means 1). With 1, that thread also owns all",
                "job state, so no packet crosses threads (fastest on small machines); with more, one",
                "extra thread owns job state and the I/O threads only decode and encode."})
    int threads;

    @Option(names = {"-b", "--backlog"}, paramLabel = "N", defaultValue = "32",
            description = "Listen backlog (default ${DEFAULT-VALUE}).")
    int backlog;

    @Option(names = {"-j", "--job-retries"}, paramLabel = "N", defaultValue = "-1",
            description = {"Attempts before a job whose worker keeps disconnecting is failed to its clients",
                "with WORK_FAIL (gearmand 2.0 meaning: -1 unlimited, the default; 0 or 1 one attempt;",
                "N attempts)."})
    int jobRetries;

    @Option(names = {"-R", "--round-robin"},
            description = "Accepted for compatibility: jobs are always handed out fairly across functions.")
    boolean roundRobin;

    @Option(names = {"-w", "--worker-wakeup"}, paramLabel = "N", defaultValue = "0",
            description = "Sleeping workers woken per new job (default 0: all).")
    int workerWakeup;

    @Option(names = "--exceptions", description = "Turn the 'exceptions' option on for every connection.")
    boolean exceptions;

    @Option(names = "--job-handle-prefix", paramLabel = "PREFIX",
            description = "Job handle prefix (default H:<hostname>); handles are PREFIX:N.")
    String jobHandlePrefix;

    @Option(names = "--keepalive", description = "Enable TCP keepalive on connections.")
    boolean keepalive;

    @Option(names = "--keepalive-idle", paramLabel = "SECONDS", defaultValue = "30",
            description = "Idle seconds before the first keepalive probe (default ${DEFAULT-VALUE}).")
    int keepaliveIdle;

    @Option(names = "--keepalive-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between keepalive probes (default ${DEFAULT-VALUE}).")
    int keepaliveInterval;

    @Option(names = "--keepalive-count", paramLabel = "N", defaultValue = "5",
            description = "Unanswered probes before a connection is dropped (default ${DEFAULT-VALUE}).")
    int keepaliveCount;

    @Option(names = {"-l", "--log-file"}, paramLabel = "FILE", defaultValue = "stderr",
            description = "Log to FILE, 'stderr' (default) or 'none'.")
    String logFile;

    @Option(names = {"-P", "--pid-file"}, paramLabel = "FILE", description = "Write the process id to FILE.")
    Path pidFile;

    @Option(names = "--verbose", paramLabel = "LEVEL", defaultValue = "WARNING",
            description = {"Log level: FATAL, ALERT, CRITICAL, ERROR, WARNING (default), NOTICE, INFO, DEBUG."})
    String verbose;

    @Option(names = "--max-packet-size", paramLabel = "BYTES", defaultValue = "67108864",
            description = "Largest packet body accepted (default ${DEFAULT-VALUE}, 64 MiB).")
    int maxPacketSize;

    @Option(names = "--max-line-length", paramLabel = "BYTES", defaultValue = "8192",
            description = "Longest admin text line accepted (default ${DEFAULT-VALUE}).")
    int maxLineLength;

    @Option(names = "--stalled-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Close a connection that sends part of a packet and then nothing for this long"
                    + " (default ${DEFAULT-VALUE}).")
    int stalledSeconds;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:GEARMAND_HTTP_PORT}",
            description = {"Serve Prometheus metrics on http://HOST:PORT/metrics and a health check on",
                "/health (200 ok, 503 when draining or the engine does not answer); off by default."})
    Integer httpPort;

    @Option(names = "--http-listen", paramLabel = "ADDRESS", defaultValue = "${env:GEARMAND_HTTP_LISTEN:-0.0.0.0}",
            description = "Address the --http-port endpoint binds (default ${DEFAULT-VALUE}).")
    String httpListen;

    @Option(names = {"-q", "--queue-type"}, paramLabel = "TYPE", defaultValue = "${env:GEARMAND_QUEUE_TYPE:-memory}",
            description = {"Where background jobs are kept (default ${DEFAULT-VALUE}): memory (lost when the",
                "server stops, as C's default), journal (files in --queue-dir), postgres or mysql",
                "(C's names Postgres, libpq, MySQL also work). A durable job's JOB_CREATED is sent once it",
                "is stored; jobs are replayed at start-up."})
    String queueType;

    @Option(names = "--queue-dir", paramLabel = "DIR", defaultValue = "${env:GEARMAND_QUEUE_DIR}",
            description = "Directory of the journal (-q journal); created if missing.")
    Path queueDir;

    @Option(names = "--jdbc-url", paramLabel = "URL", defaultValue = "${env:GEARMAND_JDBC_URL}",
            description = {"JDBC URL for -q postgres or mysql (jdbc:postgresql://..., jdbc:mariadb://...);",
                "overrides --libpq-conninfo and the --mysql-host/port/db flags."})
    String jdbcUrl;

    @Option(names = "--libpq-conninfo", paramLabel = "CONNINFO", defaultValue = "${env:GEARMAND_LIBPQ_CONNINFO}",
            description = "PostgreSQL connection, libpq style: 'host=H port=P dbname=D user=U password=W' or a URI.")
    String libpqConninfo;

    @Option(names = "--libpq-table", paramLabel = "TABLE", defaultValue = "${env:GEARMAND_LIBPQ_TABLE:-queue}",
            description = "PostgreSQL table (default ${DEFAULT-VALUE}); created if missing.")
    String libpqTable;

    @Option(names = "--mysql-host", paramLabel = "HOST", defaultValue = "${env:GEARMAND_MYSQL_HOST:-localhost}",
            description = "MySQL/MariaDB host (default ${DEFAULT-VALUE}).")
    String mysqlHost;

    @Option(names = "--mysql-port", paramLabel = "PORT", defaultValue = "${env:GEARMAND_MYSQL_PORT:-3306}",
            description = "MySQL/MariaDB port (default ${DEFAULT-VALUE}).")
    int mysqlPort;

    @Option(names = "--mysql-user", paramLabel = "USER", defaultValue = "${env:GEARMAND_MYSQL_USER:-root}",
            description = "MySQL/MariaDB user (default ${DEFAULT-VALUE}).")
    String mysqlUser;

    @Option(names = "--mysql-password", paramLabel = "PASSWORD", defaultValue = "${env:GEARMAND_MYSQL_PASSWORD}",
            description = "MySQL/MariaDB password (default none; prefer GEARMAND_MYSQL_PASSWORD).")
    String mysqlPassword;

    @Option(names = "--mysql-db", paramLabel = "DB", defaultValue = "${env:GEARMAND_MYSQL_DB:-gearmand}",
            description = "MySQL/MariaDB database (default ${DEFAULT-VALUE}).")
    String mysqlDb;

    @Option(names = "--mysql-table", paramLabel = "TABLE", defaultValue = "${env:GEARMAND_MYSQL_TABLE:-gearman_queue}",
            description = "MySQL/MariaDB table (default ${DEFAULT-VALUE}); created if missing.")
    String mysqlTable;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean versionRequested;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean helpRequested;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses {@code args} and runs the server until it stops; returns the exit code. */
    public static int run(String[] args) {
        CommandLine commandLine = new CommandLine(new Gearmand());
        commandLine.getCommandSpec().version("gearmand " + VERSION);
        commandLine.setParameterExceptionHandler((e, badArgs) -> {
            e.getCommandLine().getErr().println("gearmand: " + e.getMessage() + " (try gearmand --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("gearmand: " + e.getMessage());
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        String level = Logging.levelName(verbose);
        if (level == null) {
            return usageError("--verbose must be one of FATAL, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO,"
                    + " DEBUG: " + verbose);
        }
        ServerConfig config;
        JobStore store;
        try {
            store = new QueueOptions(QueueOptions.Type.parse(queueType), queueDir, jdbcUrl, libpqConninfo, libpqTable,
                    mysqlHost, mysqlPort, mysqlUser, mysqlPassword, mysqlDb, mysqlTable).newStore();
            config = new ServerConfig(port, listen, Math.max(1, threads), backlog, keepalive, keepaliveIdle,
                    keepaliveInterval, keepaliveCount, stalledSeconds, level,
                    new ProtocolLimits(maxPacketSize, maxLineLength),
                    new EngineConfig(jobHandlePrefix == null ? "H:" + hostname() : jobHandlePrefix, jobRetries,
                            workerWakeup, exceptions, VERSION));
        } catch (IllegalArgumentException e) {
            return usageError(e.getMessage());
        }
        if (httpPort != null && (httpPort < 0 || httpPort > 65535)) {
            return usageError("--http-port must be 0-65535: " + httpPort);
        }
        Logging.configure(logFile, level);
        ServerMetrics metrics = httpPort == null ? null : new ServerMetrics();
        GearmanServer server;
        try {
            server = GearmanServer.start(config, store, metrics == null ? JobEvents.NONE : metrics);
        } catch (StoreException e) {
            System.err.println("gearmand: cannot start with the persistent queue: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("gearmand: cannot listen on port " + port + ": " + e.getMessage()
                    + " (is another server running? choose another with -p)");
            return 1;
        }
        MetricsEndpoint endpoint = null;
        if (metrics != null) {
            try {
                endpoint = MetricsEndpoint.start(httpListen, httpPort, server, metrics);
            } catch (IOException e) {
                server.close();
                System.err.println("gearmand: cannot serve metrics on " + httpListen + ":" + httpPort + ": "
                        + e.getMessage() + " (choose another --http-port)");
                return 1;
            }
        }
        MetricsEndpoint metricsEndpoint = endpoint;
        if (pidFile != null) {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        }
        // SIGTERM/SIGINT run the hook; the JVM halts once hooks finish, so the hook cleans up too.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (metricsEndpoint != null) {
                metricsEndpoint.close();
            }
            server.close();
            removePidFile();
        }, "gearmand-signal"));
        server.awaitTermination();
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        removePidFile();
        return 0;
    }

    private void removePidFile() {
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                System.err.println("gearmand: could not remove pid file " + pidFile + ": " + e.getMessage());
            }
        }
    }

    private static int usageError(String message) {
        PrintWriter err = new PrintWriter(System.err, true);
        err.println("gearmand: " + message + " (try gearmand --help)");
        return 2;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String versionOf() {
        String version = Gearmand.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-SNAPSHOT" : version;
    }
}
