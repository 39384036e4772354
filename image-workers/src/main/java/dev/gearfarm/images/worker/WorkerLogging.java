package dev.gearfarm.images.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code image-worker} process's logging, set in code at start (as gearmand's config.Logging does), so
 * it holds however the process was launched and whatever logback found first: one line per event on
 * stderr at {@code --log-level}. The libraries that can print request headers, and so the S3 access key
 * id and signature, stay at WARN whatever the level: the AWS SDK, Apache HttpClient 5 (its
 * {@code org.apache.hc.client5.http.wire} and {@code .headers} loggers dump requests at DEBUG) and Netty.
 */
public final class WorkerLogging {
    /** The level when {@code --log-level} is not given. */
    public static final String DEFAULT_LEVEL = "INFO";
    /** Loggers never let below WARN: they log request headers (credentials) or start-up noise at DEBUG. */
    public static final List<String> QUIET = List.of("software.amazon.awssdk", "org.apache.hc", "org.apache.http",
            "io.netty");
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} [%thread] %msg%n";
    private static final Map<String, Level> LEVELS = Map.of("ERROR", Level.ERROR, "WARN", Level.WARN,
            "WARNING", Level.WARN, "INFO", Level.INFO, "DEBUG", Level.DEBUG, "TRACE", Level.TRACE, "OFF", Level.OFF);

    private WorkerLogging() {
    }

    /** The level {@code name} means (any case; {@code WARNING} is {@code WARN}); IllegalArgumentException naming the choices. */
    public static Level level(String name) {
        Level level = name == null ? null : LEVELS.get(name.strip().toUpperCase(Locale.ROOT));
        if (level == null) {
            throw new IllegalArgumentException("unknown log level \"" + name
                    + "\"; use one of: error, warn, info, debug, trace, off (--log-level or IMAGE_WORKER_LOG_LEVEL)");
        }
        return level;
    }

    /** Replaces whatever logback configured with stderr at {@code level}, the {@link #QUIET} loggers at WARN or above. */
    public static void configure(Level level) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        Level quiet = level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN;
        for (String name : QUIET) {
            context.getLogger(name).setLevel(quiet);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setTarget("System.err");
        console.setContext(context);
        console.setEncoder(encoder);
        console.setName("stderr");
        console.start();
        root.addAppender(console);
    }
}
