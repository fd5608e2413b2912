package io.lodge.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * A logback encoder writing one logfmt line per event, in the shape of Loki's own logs:
 *
 * <pre>
 * ts=2026-11-25T10:00:00.123Z level=info caller=HttpServer msg="HTTP server listening" address=/0.0.0.0:3100
 * </pre>
 *
 * then the event's SLF4J 2 key-value pairs ({@code log.atInfo().addKeyValue("port", 3100)}), the MDC,
 * and a throwable's stack trace folded into one quoted {@code err=} value. {@code caller} is the
 * logger's simple class name (the call site would need a stack walk per event).
 */
public final class LogfmtEncoder extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return format(event).getBytes(StandardCharsets.UTF_8);
  }

  /** The line for one event, with its trailing newline. */
  public static String format(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("ts=");
    TS.formatTo(event.getInstant(), sb);
    Logfmt.appendPair(sb, "level", levelName(event.getLevel()));
    Logfmt.appendPair(sb, "caller", simpleName(event.getLoggerName()));
    Logfmt.appendPair(sb, "msg", event.getFormattedMessage());
    List<KeyValuePair> kvs = event.getKeyValuePairs();
    if (kvs != null) {
      for (KeyValuePair kv : kvs) Logfmt.appendPair(sb, kv.key, kv.value);
    }
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) mdc.forEach((k, v) -> Logfmt.appendPair(sb, k, v));
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      String trace = ThrowableProxyUtil.asString(thrown).strip();
      Logfmt.appendPair(sb, "err", trace);
    }
    sb.append('\n');
    return sb.toString();
  }

  static String levelName(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "error";
      case Level.WARN_INT -> "warn";
      case Level.INFO_INT -> "info";
      default -> "debug"; // Loki has no trace level
    };
  }

  private static String simpleName(String loggerName) {
    int dot = loggerName.lastIndexOf('.');
    return dot < 0 ? loggerName : loggerName.substring(dot + 1);
  }
}
