package io.lodge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {
  private final EnvExpander env = EnvExpander.of(Map.of("PORT", "3200", "EMPTY", "", "DIR", "/data/loki"));

  @Test
  void replacesReferences() {
    assertThat(env.expand("port: ${PORT}\ndir: ${DIR}/wal", "f")).isEqualTo("port: 3200\ndir: /data/loki/wal");
  }

  @Test
  void unsetWithoutDefaultIsEmptyAsInLoki() {
    assertThat(env.expand("a: '${NOPE}'", "f")).isEqualTo("a: ''");
  }

  @Test
  void defaults() {
    assertThat(env.expand("${NOPE:-9000} ${PORT:-9000} ${EMPTY:-x} ${EMPTY-x} ${NOPE-y}", "f"))
        .isEqualTo("9000 3200 x  y");
  }

  @Test
  void leavesOtherDollarsAlone() {
    String text = "regex: '^foo$'\nprice: $5\nvar: $PORT\n";
    assertThat(env.expand(text, "f")).isEqualTo(text);
  }

  @Test
  void requiredVariableFailsWithLine() {
    assertThatThrownBy(() -> env.expand("a: 1\nb: ${NOPE:?set NOPE please}", "/etc/l.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file /etc/l.yaml line 2: environment variable NOPE is not set: set NOPE please");
  }

  @Test
  void unterminatedReferenceFails() {
    assertThatThrownBy(() -> env.expand("a: 1\nb: ${PORT\nc: 2", "f.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("unterminated");
  }
}
