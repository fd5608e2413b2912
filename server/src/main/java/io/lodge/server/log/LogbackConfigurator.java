package io.lodge.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Lodge's logging set up in code, found by logback as a service: logfmt on stderr, one line per event,
 * like Loki's. The same configuration read from a {@code logback.xml} (an XML parser and logback's
 * configuration model) took 330-470 ms of the start against 110-150 ms this way (BENCHMARKS.md, fourteenth
 * wave). A {@code logback.configurationFile} system property or a {@code logback-test.xml} on the class
 * path (the tests') still wins.
 */
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (configuredByFile()) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    configureInCode(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Whether a configuration file is asked for or present, which logback's own configurator then reads. */
  static boolean configuredByFile() {
    return System.getProperty("logback.configurationFile") != null
        || LogbackConfigurator.class.getClassLoader().getResource("logback-test.xml") != null;
  }

  static void configureInCode(LoggerContext context) {
    // first, so that the levels below reach java.util.logging too and bridged JUL calls stay cheap
    LevelChangePropagator jul = new LevelChangePropagator();
    jul.setContext(context);
    jul.setResetJUL(true);
    jul.start();
    context.addListener(jul);

    LogfmtEncoder encoder = new LogfmtEncoder();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();

    context.getLogger("io.netty").setLevel(Level.WARN);
    // Lucene's hint about the incubating Vector API is noise for an index of label terms
    context.getLogger("org.apache.lucene.internal.vectorization").setLevel(Level.ERROR);
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stderr);
  }
}
