package io.lodge.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogfmtEncoderTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("io.lodge.server.http.HttpServer");

  private LoggingEvent event(Level level, String msg, Throwable t, Object... kvs) {
    LoggingEvent e = new LoggingEvent("fqcn", logger, level, msg, t, null);
    e.setTimeStamp(1_795_600_800_123L); // 2026-11-25T10:00:00.123Z
    e.setMDCPropertyMap(Map.of());
    for (int i = 0; i < kvs.length; i += 2) e.addKeyValuePair(new KeyValuePair((String) kvs[i], kvs[i + 1]));
    return e;
  }

  @Test
  void lineHasLokisShape() {
    String line = LogfmtEncoder.format(event(Level.INFO, "listening", null, "port", 3100, "addr", "0.0.0.0:3100"));
    assertThat(line).isEqualTo(
        "ts=2026-11-25T10:00:00.123Z level=info caller=HttpServer msg=listening port=3100 addr=0.0.0.0:3100\n");
  }

  @Test
  void valuesAreQuotedWhenNeeded() {
    String line = LogfmtEncoder.format(event(Level.WARN, "HTTP server listening", null,
        "q", "{app=\"x\"} |= \"a b\"", "empty", "", "nul", null, "word", "null", "bad key", "v"));
    assertThat(line).isEqualTo("ts=2026-11-25T10:00:00.123Z level=warn caller=HttpServer"
        + " msg=\"HTTP server listening\" q=\"{app=\\\"x\\\"} |= \\\"a b\\\"\" empty= nul=null word=\"null\""
        + " badkey=v\n");
  }

  @Test
  void stackTraceIsFoldedIntoOneErrField() {
    Exception cause = new IOException("disk full");
    String line = LogfmtEncoder.format(event(Level.ERROR, "flush failed", new IllegalStateException("flush", cause)));
    assertThat(line).endsWith("\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
    Map<String, String> parsed = parse(line);
    assertThat(parsed.get("level")).isEqualTo("error");
    assertThat(parsed.get("err")).startsWith("java.lang.IllegalStateException: flush\n\tat ")
        .contains("Caused by: java.io.IOException: disk full");
  }

  /** Oracle: a small logfmt reader gives back every value exactly, and the line stays one line. */
  @Property(tries = 300)
  void anyValueRoundTrips(@ForAll String value, @ForAll String message) {
    String line = LogfmtEncoder.format(event(Level.DEBUG, message, null, "v", value));
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    Map<String, String> parsed = parse(line);
    assertThat(parsed.get("msg")).isEqualTo(message);
    assertThat(parsed.get("v")).isEqualTo(value);
    assertThat(parsed.get("level")).isEqualTo("debug");
  }

  /** A strict logfmt reader for the encoder's output: key=value pairs, Go-style escapes in quotes. */
  static Map<String, String> parse(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    int n = line.length() - 1; // trailing newline
    while (i < n) {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq);
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (line.charAt(i) != '"') {
          char c = line.charAt(i++);
          if (c != '\\') {
            v.append(c);
            continue;
          }
          char e = line.charAt(i++);
          switch (e) {
            case 'n' -> v.append('\n');
            case 'r' -> v.append('\r');
            case 't' -> v.append('\t');
            case 'u' -> {
              v.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
              i += 4;
            }
            default -> v.append(e);
          }
        }
        i++;
      } else {
        while (i < n && line.charAt(i) != ' ') v.append(line.charAt(i++));
      }
      out.put(key, v.toString());
      if (i < n) {
        assertThat(line.charAt(i)).isEqualTo(' ');
        i++;
      }
    }
    return out;
  }

}
