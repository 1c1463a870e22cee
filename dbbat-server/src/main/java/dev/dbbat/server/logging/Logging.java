package dev.dbbat.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.dbbat.server.config.LogFormat;
import java.util.Objects;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Chooses the log format and level: sets the properties {@code logback.xml} reads, then (re)loads it. Call it as
 * soon as the configuration is known; loggers created before keep working and follow the new settings.
 */
public final class Logging {
    static final String APPENDER_PROPERTY = "dbbat.log.appender";
    static final String LEVEL_PROPERTY = "dbbat.log.level";

    private Logging() {}

    /**
     * @param format text or JSON lines
     * @param level TRACE, DEBUG, INFO, WARN or ERROR
     */
    public static void configure(LogFormat format, String level) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(level, "level");
        String appender = format == LogFormat.JSON ? "JSON" : "TEXT";
        boolean changed = !appender.equals(System.getProperty(APPENDER_PROPERTY))
                || !level.equals(System.getProperty(LEVEL_PROPERTY));
        System.setProperty(APPENDER_PROPERTY, appender);
        System.setProperty(LEVEL_PROPERTY, level);
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (changed && factory instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException ex) {
                System.err.println("dbbat: cannot configure logging: " + ex.getMessage());
            }
        }
    }
}
