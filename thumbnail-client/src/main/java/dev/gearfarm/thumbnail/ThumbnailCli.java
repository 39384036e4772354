package dev.gearfarm.thumbnail;

import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearmand.config.Logging;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code thumbnail} command: submit images to the farm, ask about jobs, run batches. */
@Command(name = "thumbnail", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        versionProvider = ThumbnailCli.Version.class,
        subcommands = {SubmitCommand.class, BatchCommand.class, StatusCommand.class, CommandLine.HelpCommand.class},
        description = {"Makes thumbnails on a Gearman image farm (bin/gearmand + bin/image-worker), or on one "
                + "started inside this process with 'batch --embedded'.", ""},
        footer = {"", "Examples:",
            "  thumbnail batch samples --out /tmp/thumbs --embedded      # nothing else needed",
            "  thumbnail submit cat.jpg --size 256 --size 1024 --out thumbs",
            "  thumbnail batch photos --recursive --out s3://thumbs/photos --server gm1:4730",
            "",
            "Exit codes: 0 all done; 1 some images failed (see the report); 2 usage or bad input;",
            "3 cannot reach the job server or the S3 store.",
            "Every option can also come from its environment variable (shown in each command's help)."})
public final class ThumbnailCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURES = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_UNREACHABLE = 3;

    private ThumbnailCli() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses and runs one command; returns its exit code. */
    public static int run(String[] args) {
        return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** As {@link #run(String[])}, with results and messages going to {@code out} and {@code err}. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        // The farm's libraries log at WARN unless asked; their INFO lines would bury the progress bar.
        String level = System.getenv("THUMBNAIL_LOG_LEVEL");
        Logging.configure("stderr", level == null ? "WARNING" : level);
        if (level == null) {
            // An embedded worker logs every failed image with its stack trace; here each failure already has
            // its line in the report, and the trace would tear the progress bar apart.
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(GearmanWorker.class))
                    .setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        CommandLine commandLine = new CommandLine(ThumbnailCli.class).setOut(out).setErr(err);
        commandLine.setParameterExceptionHandler((e, badArgs) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            e.getCommandLine().getErr().println("thumbnail: " + e.getMessage() + " (try " + command + " --help)");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException cli) {
                cmd.getErr().println("thumbnail: " + cli.getMessage());
                return cli.exitCode();
            }
            cmd.getErr().println("thumbnail: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return EXIT_FAILURES;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ThumbnailCli.class.getPackage().getImplementationVersion();
            return new String[] {"thumbnail " + (version == null ? "0.1.0-SNAPSHOT" : version)};
        }
    }
}
