package io.lodge.server.syslog;

import io.lodge.ingester.model.UnixNanos;
import io.lodge.server.syslog.SyslogMessage.Format;
import io.lodge.server.syslog.SyslogMessage.SdElement;
import io.lodge.server.syslog.SyslogMessage.SdParam;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one framed syslog message from bytes: RFC 5424 when the priority is followed by a version
 * ({@code <34>1 ...}), else RFC 3164. RFC 5424 is parsed strictly (field lengths, structured data
 * syntax, RFC 3339 time); RFC 3164 leniently, as syslog daemons do: after the priority, an optional
 * {@code Mmm dd hh:mm:ss} (or RFC 3339) timestamp, an optional hostname, an optional
 * {@code tag[pid]:}, and the rest is the message. A 3164 timestamp has no year or zone: it is read in
 * the configured zone and the current year, or last year when that would put it more than a day ahead.
 * Thread-safe: holds only the zone and the clock.
 */
public final class SyslogParser {
  private static final long DAY_NANOS = 86_400L * 1_000_000_000L;
  private static final String[] MONTHS =
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  private final ZoneId zone;
  private final Clock clock;

  public SyslogParser(ZoneId zone, Clock clock) {
    this.zone = zone;
    this.clock = clock;
  }

  /** Parses {@code b[off, off+len)}. */
  public SyslogMessage parse(byte[] b, int off, int len) throws SyslogParseException {
    Cursor c = new Cursor(b, off, off + trimmedLength(b, off, len));
    if (c.atEnd()) throw c.error("expected '<' (a syslog priority), got an empty message");
    int pri = parsePriority(c);
    if (c.peekDigit() && isVersion(c)) return parse5424(c, pri);
    return parse3164(c, pri);
  }

  // trailing LF / CR / NUL are framing, never part of the message
  private static int trimmedLength(byte[] b, int off, int len) {
    while (len > 0) {
      byte last = b[off + len - 1];
      if (last != '\n' && last != '\r' && last != 0) break;
      len--;
    }
    return len;
  }

  private static int parsePriority(Cursor c) throws SyslogParseException {
    if (c.peek() != '<') throw c.error("expected '<' (a syslog priority), got " + c.describe());
    c.pos++;
    int start = c.pos;
    int v = 0;
    while (c.peekDigit()) {
      v = v * 10 + (c.b[c.pos++] - '0');
      if (c.pos - start > 3) throw c.error("expected a priority of at most 3 digits");
    }
    if (c.pos == start) throw c.error("expected a priority number after '<', got " + c.describe());
    if (c.peek() != '>') throw c.error("expected '>' after the priority, got " + c.describe());
    if (v > 191) throw c.error("expected a priority 0..191, got " + v);
    c.pos++;
    return v;
  }

  // "1 " (one or two digits, then a space) after the priority: the RFC 5424 VERSION
  private static boolean isVersion(Cursor c) {
    int p = c.pos;
    int n = 0;
    while (p < c.end && c.b[p] >= '0' && c.b[p] <= '9' && n < 3) {
      p++;
      n++;
    }
    return n >= 1 && n <= 2 && c.b[c.pos] != '0' && p < c.end && c.b[p] == ' ';
  }

  private SyslogMessage parse5424(Cursor c, int pri) throws SyslogParseException {
    while (c.peekDigit()) c.pos++;
    c.expectSpace("after the version");
    long ts = SyslogMessage.NO_TIMESTAMP;
    if (c.peek() == '-') {
      c.pos++;
    } else {
      ts = parseRfc3339(c);
    }
    c.expectSpace("after the timestamp");
    String host = c.headerField("hostname", 255);
    c.expectSpace("after the hostname");
    String app = c.headerField("app-name", 48);
    c.expectSpace("after the app-name");
    String proc = c.headerField("procid", 128);
    c.expectSpace("after the procid");
    String msgId = c.headerField("msgid", 32);
    c.expectSpace("after the msgid");
    List<SdElement> sd = parseStructuredData(c);
    String msg = "";
    if (!c.atEnd()) {
      c.expectSpace("after the structured data");
      int start = c.pos;
      if (c.end - start >= 3 && (c.b[start] & 0xFF) == 0xEF && (c.b[start + 1] & 0xFF) == 0xBB
          && (c.b[start + 2] & 0xFF) == 0xBF) {
        start += 3; // the UTF-8 BOM RFC 5424 allows before the message
      }
      msg = new String(c.b, start, c.end - start, StandardCharsets.UTF_8);
    }
    return new SyslogMessage(Format.RFC5424, pri >> 3, pri & 7, ts, host, app, proc, msgId, sd, msg);
  }

  private static List<SdElement> parseStructuredData(Cursor c) throws SyslogParseException {
    if (c.peek() == '-') {
      c.pos++;
      return List.of();
    }
    if (c.peek() != '[') throw c.error("expected '[' or '-' (structured data), got " + c.describe());
    List<SdElement> out = new ArrayList<>(2);
    while (c.peek() == '[') {
      c.pos++;
      String id = c.sdName("SD-ID");
      List<SdParam> params = new ArrayList<>(4);
      while (c.peek() == ' ') {
        c.pos++;
        String name = c.sdName("SD-PARAM name");
        if (c.peek() != '=') throw c.error("expected '=' after SD-PARAM name " + name + ", got " + c.describe());
        c.pos++;
        if (c.peek() != '"') throw c.error("expected '\"' to open the value of " + name + ", got " + c.describe());
        c.pos++;
        params.add(new SdParam(name, c.sdValue()));
      }
      if (c.peek() != ']') throw c.error("expected ']' or ' ' in structured data element " + id + ", got " + c.describe());
      c.pos++;
      out.add(new SdElement(id, params));
    }
    return out;
  }

  private SyslogMessage parse3164(Cursor c, int pri) throws SyslogParseException {
    long ts = parse3164Timestamp(c);
    String host = null;
    if (ts != SyslogMessage.NO_TIMESTAMP) {
      if (c.peek() == ' ') c.pos++;
      int tokenEnd = c.indexOf(' ');
      // a hostname is a whole token followed by more text, and does not look like "tag:" or "tag[pid]"
      if (tokenEnd > c.pos && tokenEnd < c.end && !looksLikeTag(c.b, c.pos, tokenEnd)) {
        host = new String(c.b, c.pos, tokenEnd - c.pos, StandardCharsets.UTF_8);
        c.pos = tokenEnd + 1;
      }
    }
    String app = null;
    String proc = null;
    int tagStart = c.pos;
    int p = tagStart;
    while (p < c.end && p - tagStart <= 48 && isTagChar(c.b[p])) p++;
    if (p > tagStart && p < c.end && (c.b[p] == ':' || c.b[p] == '[')) {
      int q = p;
      String pid = null;
      if (c.b[q] == '[') {
        int close = q + 1;
        while (close < c.end && c.b[close] != ']' && c.b[close] != ' ') close++;
        if (close < c.end && c.b[close] == ']') {
          pid = new String(c.b, q + 1, close - q - 1, StandardCharsets.UTF_8);
          q = close + 1;
        } else {
          q = -1;
        }
      }
      if (q >= 0 && q < c.end && c.b[q] == ':') {
        app = new String(c.b, tagStart, p - tagStart, StandardCharsets.UTF_8);
        proc = pid == null || pid.isEmpty() ? null : pid;
        c.pos = q + 1;
        if (c.peek() == ' ') c.pos++;
      }
    }
    String msg = new String(c.b, c.pos, c.end - c.pos, StandardCharsets.UTF_8);
    return new SyslogMessage(Format.RFC3164, pri >> 3, pri & 7, ts, host, app, proc, null, List.of(), msg);
  }

  private static boolean looksLikeTag(byte[] b, int from, int to) {
    return b[to - 1] == ':' || (b[to - 1] == ']' && indexOf(b, from, to, (byte) '[') >= 0);
  }

  private static boolean isTagChar(byte ch) {
    return ch > ' ' && ch < 127 && ch != ':' && ch != '[' && ch != ']';
  }

  private long parse3164Timestamp(Cursor c) throws SyslogParseException {
    if (c.peekDigit()) {
      int save = c.pos;
      try {
        long ts = parseRfc3339(c);
        if (c.atEnd() || c.peek() == ' ') return ts;
      } catch (SyslogParseException e) {
        // not an RFC 3339 timestamp: the whole rest is the message (RFC 3164 4.3.3)
      }
      c.pos = save;
      return SyslogMessage.NO_TIMESTAMP;
    }
    // "Mmm dd hh:mm:ss" (day space-padded), optionally with a fraction or a year, as some devices send
    int p = c.pos;
    if (c.end - p < 15) return SyslogMessage.NO_TIMESTAMP;
    int month = -1;
    for (int m = 0; m < 12; m++) {
      String name = MONTHS[m];
      if (c.b[p] == name.charAt(0) && c.b[p + 1] == name.charAt(1) && c.b[p + 2] == name.charAt(2)) month = m + 1;
    }
    if (month < 0 || c.b[p + 3] != ' ') return SyslogMessage.NO_TIMESTAMP;
    p += 4;
    if (c.b[p] == ' ') p++;
    int day = 0;
    int digits = 0;
    while (p < c.end && isDigit(c.b[p]) && digits < 2) {
      day = day * 10 + (c.b[p++] - '0');
      digits++;
    }
    if (digits == 0 || p >= c.end || c.b[p] != ' ') return SyslogMessage.NO_TIMESTAMP;
    p++;
    int year = -1;
    if (c.end - p >= 5 && isDigit(c.b[p]) && isDigit(c.b[p + 1]) && isDigit(c.b[p + 2]) && isDigit(c.b[p + 3])
        && c.b[p + 4] == ' ') {
      year = (c.b[p] - '0') * 1000 + (c.b[p + 1] - '0') * 100 + (c.b[p + 2] - '0') * 10 + (c.b[p + 3] - '0');
      p += 5;
    }
    if (c.end - p < 8 || c.b[p + 2] != ':' || c.b[p + 5] != ':') return SyslogMessage.NO_TIMESTAMP;
    int h = twoDigits(c.b, p);
    int min = twoDigits(c.b, p + 3);
    int sec = twoDigits(c.b, p + 6);
    if (h < 0 || min < 0 || sec < 0) return SyslogMessage.NO_TIMESTAMP;
    p += 8;
    int nanos = 0;
    if (p < c.end && c.b[p] == '.') {
      int scale = 100_000_000;
      p++;
      while (p < c.end && isDigit(c.b[p])) {
        nanos += (c.b[p++] - '0') * scale;
        scale /= 10;
      }
    }
    if (p < c.end && c.b[p] != ' ') return SyslogMessage.NO_TIMESTAMP;
    long now = clock.millis() * 1_000_000L;
    try {
      int y = year >= 0 ? year : LocalDate.now(clock.withZone(zone)).getYear();
      long ts = toNanos(LocalDateTime.of(y, month, day, h, min, sec, nanos), zone);
      if (year < 0 && ts > now + DAY_NANOS) ts = toNanos(LocalDateTime.of(y - 1, month, day, h, min, sec, nanos), zone);
      c.pos = p;
      return ts;
    } catch (DateTimeException e) {
      throw c.error("invalid RFC 3164 date: " + e.getMessage());
    }
  }

  private static long toNanos(LocalDateTime t, ZoneId zone) {
    return UnixNanos.of(t.atZone(zone).toInstant());
  }

  /** RFC 3339 as RFC 5424 allows it: {@code 2003-10-11T22:14:15.003Z} or with a {@code ±hh:mm} offset. */
  private static long parseRfc3339(Cursor c) throws SyslogParseException {
    byte[] b = c.b;
    int p = c.pos;
    if (c.end - p < 20 || b[p + 4] != '-' || b[p + 7] != '-' || (b[p + 10] != 'T' && b[p + 10] != 't')
        || b[p + 13] != ':' || b[p + 16] != ':') {
      throw c.error("expected an RFC 3339 timestamp like 2003-10-11T22:14:15.003Z, got " + c.describe());
    }
    int year = twoDigits(b, p) * 100 + twoDigits(b, p + 2);
    int month = twoDigits(b, p + 5);
    int day = twoDigits(b, p + 8);
    int h = twoDigits(b, p + 11);
    int min = twoDigits(b, p + 14);
    int sec = twoDigits(b, p + 17);
    if (year < 0 || month < 0 || day < 0 || h < 0 || min < 0 || sec < 0) {
      throw c.error("expected digits in the timestamp, got " + c.describe());
    }
    p += 19;
    long nanos = 0;
    if (p < c.end && b[p] == '.') {
      p++;
      int start = p;
      long scale = 100_000_000L;
      while (p < c.end && isDigit(b[p])) {
        if (scale > 0) nanos += (b[p] - '0') * scale;
        scale /= 10;
        p++;
      }
      if (p == start) throw c.error("expected digits after '.' in the timestamp");
    }
    int offsetSeconds;
    if (p < c.end && (b[p] == 'Z' || b[p] == 'z')) {
      offsetSeconds = 0;
      p++;
    } else if (c.end - p >= 6 && (b[p] == '+' || b[p] == '-') && b[p + 3] == ':') {
      int oh = twoDigits(b, p + 1);
      int om = twoDigits(b, p + 4);
      if (oh < 0 || om < 0 || oh > 23 || om > 59) throw c.error("invalid time zone offset in the timestamp");
      offsetSeconds = (oh * 3600 + om * 60) * (b[p] == '-' ? -1 : 1);
      p += 6;
    } else {
      throw c.error("expected 'Z' or a ±hh:mm offset in the timestamp, got " + c.describeAt(p));
    }
    if (month < 1 || month > 12 || h > 23 || min > 59 || sec > 60) throw c.error("timestamp field out of range");
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      throw c.error("invalid date in the timestamp: " + e.getMessage());
    }
    c.pos = p;
    long seconds = epochDay * 86_400L + h * 3600L + min * 60L + Math.min(sec, 59) - offsetSeconds;
    return seconds * 1_000_000_000L + nanos;
  }

  private static int twoDigits(byte[] b, int p) {
    if (!isDigit(b[p]) || !isDigit(b[p + 1])) return -1;
    return (b[p] - '0') * 10 + (b[p + 1] - '0');
  }

  private static boolean isDigit(byte ch) {
    return ch >= '0' && ch <= '9';
  }

  private static int indexOf(byte[] b, int from, int to, byte ch) {
    for (int i = from; i < to; i++) if (b[i] == ch) return i;
    return -1;
  }

  /** A read position over one message. */
  private static final class Cursor {
    final byte[] b;
    final int start;
    final int end;
    int pos;

    Cursor(byte[] b, int start, int end) {
      this.b = b;
      this.start = start;
      this.end = end;
      this.pos = start;
    }

    boolean atEnd() {
      return pos >= end;
    }

    int peek() {
      return pos < end ? b[pos] : -1;
    }

    boolean peekDigit() {
      return pos < end && isDigit(b[pos]);
    }

    int indexOf(char ch) {
      int i = SyslogParser.indexOf(b, pos, end, (byte) ch);
      return i < 0 ? end : i;
    }

    void expectSpace(String where) throws SyslogParseException {
      if (peek() != ' ') throw error("expected ' ' " + where + ", got " + describe());
      pos++;
    }

    /** A header field: 1..max printable ASCII characters, or "-" for none. */
    String headerField(String name, int max) throws SyslogParseException {
      int s = pos;
      while (pos < end && b[pos] > ' ' && b[pos] < 127) pos++;
      int n = pos - s;
      if (n == 0) throw error("expected the " + name + " (or '-'), got " + describe());
      if (n > max) throw error("expected a " + name + " of at most " + max + " characters, got " + n);
      if (n == 1 && b[s] == '-') return null;
      return new String(b, s, n, StandardCharsets.US_ASCII);
    }

    /** An SD-NAME: 1..32 printable ASCII characters except '=', ' ', ']' and '"'. */
    String sdName(String what) throws SyslogParseException {
      int s = pos;
      while (pos < end && b[pos] > ' ' && b[pos] < 127 && b[pos] != '=' && b[pos] != ']' && b[pos] != '"') pos++;
      int n = pos - s;
      if (n == 0) throw error("expected an " + what + ", got " + describe());
      if (n > 32) throw error("expected an " + what + " of at most 32 characters, got " + n);
      return new String(b, s, n, StandardCharsets.US_ASCII);
    }

    /** A PARAM-VALUE after its opening quote, up to and past the closing quote; unescapes \" \\ \]. */
    String sdValue() throws SyslogParseException {
      int s = pos;
      boolean escaped = false;
      while (pos < end && b[pos] != '"') {
        if (b[pos] == '\\' && pos + 1 < end) {
          escaped = true;
          pos++;
        }
        pos++;
      }
      if (pos >= end) throw error("expected '\"' to close a structured data value, got the end of the message");
      String v;
      if (!escaped) {
        v = new String(b, s, pos - s, StandardCharsets.UTF_8);
      } else {
        byte[] out = new byte[pos - s];
        int n = 0;
        for (int i = s; i < pos; i++) {
          if (b[i] == '\\' && i + 1 < pos && (b[i + 1] == '"' || b[i + 1] == '\\' || b[i + 1] == ']')) i++;
          out[n++] = b[i];
        }
        v = new String(out, 0, n, StandardCharsets.UTF_8);
      }
      pos++;
      return v;
    }

    String describe() {
      return describeAt(pos);
    }

    String describeAt(int p) {
      if (p >= end) return "the end of the message";
      int n = Math.min(16, end - p);
      return "'" + new String(b, p, n, StandardCharsets.UTF_8) + (n < end - p ? "...'" : "'");
    }

    SyslogParseException error(String message) {
      return new SyslogParseException(message, pos - start);
    }
  }
}
