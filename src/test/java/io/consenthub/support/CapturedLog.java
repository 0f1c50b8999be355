package io.consenthub.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Everything the test JVM logs, from now until {@link #close}, also written to one file: for tests
 * that read the hub's log output as an outsider would (the erasure's proof scans it). Logback is
 * set up once per JVM, so a test cannot simply name a {@code logging.file.name} of its own.
 */
public final class CapturedLog implements AutoCloseable {

    private final FileAppender<ILoggingEvent> appender = new FileAppender<>();
    private final Path file;

    public CapturedLog(Path file) {
        this.file = file;
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} : %msg%n%ex");
        encoder.start();
        appender.setContext(context);
        appender.setName("captured-" + file.getFileName());
        appender.setFile(file.toString());
        appender.setAppend(false);
        appender.setEncoder(encoder);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
