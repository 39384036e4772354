package dev.gearfarm.gearmand.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Points logging where {@code --log-file} says, at the level {@code --verbose} names. */
public final class Logging {
    /** C gearmand's level names, most severe first, mapped to ours. */
    private static final Map<String, Level> LEVELS = Map.of(
            "FATAL", Level.ERROR, "ALERT", Level.ERROR, "CRITICAL", Level.ERROR, "ERROR", Level.ERROR,
            "WARNING", Level.WARN, "NOTICE", Level.INFO, "INFO", Level.INFO, "DEBUG", Level.DEBUG);

    private Logging() {
    }

    /** The canonical level name, or null when {@code name} is not one. */
    public static String levelName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return LEVELS.containsKey(upper) ? upper : null;
    }

    /** Configures the root logger: {@code target} is a path, {@code stderr} or {@code none}. */
    public static void configure(String target, String levelName) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if ("none".equals(target)) {
            root.setLevel(Level.OFF);
            return;
        }
        root.setLevel(LEVELS.get(levelName));
        // Netty reports its own start-up details at DEBUG; keep them unless asked for.
        context.getLogger("io.netty").setLevel(LEVELS.get(levelName) == Level.DEBUG ? Level.DEBUG : Level.WARN);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} [%thread] %msg%n");
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender;
        if ("stderr".equals(target)) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.err");
            appender = console;
        } else {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setFile(target);
            file.setAppend(true);
            appender = file;
        }
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setName("main");
        appender.start();
        root.addAppender(appender);
    }
}
