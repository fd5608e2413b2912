package io.lodge.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LogbackConfiguratorTest {
  @Test
  void logbackFindsItAsAService() {
    assertThat(ServiceLoader.load(Configurator.class).stream().<Class<?>>map(ServiceLoader.Provider::type))
        .contains(LogbackConfigurator.class);
  }

  @Test
  void theTestsOwnLogbackFileStillWins() {
    // logback-test.xml is on this module's test class path
    assertThat(LogbackConfigurator.configuredByFile()).isTrue();
    assertThat(new LogbackConfigurator().configure(new LoggerContext()))
        .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }

  @Test
  void writesLogfmtAtInfoToStderrWithNoisyLibrariesQuieter() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider gives its context
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LogbackConfigurator.configureInCode(context);
      assertThat(new StatusUtil(context).getHighestLevel(0))
          .as(context.getStatusManager().getCopyOfStatusList().toString()).isLessThan(Status.WARN);
      Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      assertThat(root.getLevel()).isEqualTo(Level.INFO);
      assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
      assertThat(context.getLogger("org.apache.lucene.internal.vectorization").getLevel()).isEqualTo(Level.ERROR);
      assertThat(context.getCopyOfListenerList()).anyMatch(l -> l instanceof LevelChangePropagator);
      Appender<?> appender = root.getAppender("STDERR");
      assertThat(appender).isInstanceOf(ConsoleAppender.class);
      assertThat(((ConsoleAppender<?>) appender).getEncoder()).isInstanceOf(LogfmtEncoder.class);

      context.getLogger("io.lodge.Probe").info("ready to serve");
      context.getLogger("io.lodge.Probe").debug("not shown at info");
      context.getLogger("io.netty.Probe").info("not shown below warn");
    } finally {
      System.setErr(stderr);
      context.stop();
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("level=info").contains("caller=Probe").contains("msg=\"ready to serve\"")
        .doesNotContain("not shown");
    assertThat(out.lines()).hasSize(1);
  }
}
