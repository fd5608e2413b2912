package io.lodge.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {
  @Test
  void julRecordsReachLogback() {
    LogSetup.bridgeJul();
    LogSetup.bridgeJul(); // idempotent
    Logger target = (Logger) LoggerFactory.getLogger("lodge.jul.test");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    target.addAppender(seen);
    target.setAdditive(false);
    try {
      java.util.logging.Logger.getLogger("lodge.jul.test").warning("from jul");
      assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("from jul");
    } finally {
      target.detachAppender(seen);
      target.setAdditive(true);
    }
  }

  @Test
  void productionConfigLoadsCleanly() throws Exception {
    LoggerContext ctx = new LoggerContext();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(ctx);
    joran.doConfigure(getClass().getClassLoader().getResource("logback.xml"));
    StatusUtil status = new StatusUtil(ctx);
    assertThat(status.getHighestLevel(0)).as(ctx.getStatusManager().getCopyOfStatusList().toString())
        .isLessThan(Status.WARN);
    assertThat(ctx.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    assertThat(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    ctx.stop();
  }

  @Test
  void levelsUseLokisNames() {
    String before = LogSetup.level();
    try {
      LogSetup.setLevel("error");
      assertThat(LogSetup.level()).isEqualTo("error");
      assertThat(LoggerFactory.getLogger("x").isWarnEnabled()).isFalse();
      LogSetup.setLevel("debug");
      assertThat(LoggerFactory.getLogger("x").isDebugEnabled()).isTrue();
      assertThatThrownBy(() -> LogSetup.setLevel("trace")).isInstanceOf(IllegalArgumentException.class);
      assertThat(LogSetup.level()).isEqualTo("debug");
    } finally {
      LogSetup.setLevel(before);
    }
  }
}
