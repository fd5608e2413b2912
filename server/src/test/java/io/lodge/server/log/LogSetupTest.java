package io.lodge.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
