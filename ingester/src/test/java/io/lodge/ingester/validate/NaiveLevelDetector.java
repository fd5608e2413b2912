package io.lodge.ingester.validate;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The oracle for {@link LevelDetector}'s line rules: the straightforward implementation it replaced
 * (one {@code indexOf} scan per level word, kept verbatim apart from the class name, over the
 * byte-at-a-time {@link NaiveLevelFieldScanner}), so the property test can check the SWAR detector
 * gives the same answer on every line. Rules 1 to 3 (labels and metadata) did not change and are not
 * repeated here.
 */
final class NaiveLevelDetector {
  private static final byte[] INFO = bytes("info");
  private static final byte[] INFO_UP = bytes("INFO");
  private static final byte[][] ERROR = {bytes("err:"), bytes("ERR:"), bytes("error"), bytes("ERROR")};
  private static final byte[][] WARN = {bytes("warn:"), bytes("WARN:"), bytes("warning"), bytes("WARNING")};
  private static final byte[][] CRITICAL = {bytes("CRITICAL:"), bytes("critical:")};
  private static final byte[][] DEBUG = {bytes("debug:"), bytes("DEBUG:")};

  private final NaiveLevelFieldScanner scanner;

  NaiveLevelDetector(List<String> fields) {
    byte[][] keys = new byte[fields.size()][];
    for (int i = 0; i < keys.length; i++) keys[i] = bytes(fields.get(i));
    this.scanner = new NaiveLevelFieldScanner(keys);
  }

  /** Rules 4 and 5: the line's own level field, then substrings. */
  String fromLine(byte[] line) {
    if (looksLikeJson(line)) {
      scanner.scanJson(line);
    } else if (indexOf(line, (byte) '=') >= 0) {
      scanner.scanLogfmt(line);
    } else {
      return fromSubstrings(line);
    }
    if (scanner.found() && scanner.valueLength() >= 0) {
      String level = mapValue(scanner.valueBuffer(line), scanner.valueStart(), scanner.valueLength());
      if (level != null) return level;
    }
    return fromSubstrings(line);
  }

  /** Maps a field value case-insensitively to a level name, or null. */
  static String mapValue(byte[] b, int off, int len) {
    return switch (len) {
      case 3 -> eq(b, off, "trc") ? "trace" : eq(b, off, "dbg") ? "debug" : eq(b, off, "inf") ? "info"
          : eq(b, off, "wrn") ? "warn" : eq(b, off, "err") ? "error" : null;
      case 4 -> eq(b, off, "info") ? "info" : eq(b, off, "warn") ? "warn" : null;
      case 5 -> eq(b, off, "trace") ? "trace" : eq(b, off, "debug") ? "debug" : eq(b, off, "error") ? "error"
          : eq(b, off, "fatal") ? "fatal" : null;
      case 7 -> eq(b, off, "warning") ? "warn" : null;
      case 8 -> eq(b, off, "critical") ? "critical" : null;
      default -> null;
    };
  }

  static String fromSubstrings(byte[] line) {
    if (indexOf(line, INFO) >= 0 || indexOf(line, INFO_UP) >= 0) return "info";
    if (containsAny(line, ERROR)) return "error";
    if (containsAny(line, WARN)) return "warn";
    if (containsAny(line, CRITICAL)) return "critical";
    if (containsAny(line, DEBUG)) return "debug";
    return "unknown";
  }

  /** The line, ignoring surrounding whitespace, starts with '{' and ends with '}'. */
  static boolean looksLikeJson(byte[] line) {
    int i = 0;
    int n = line.length;
    while (i < n && isSpace(line[i])) i++;
    if (i >= n || line[i] != '{') return false;
    int j = n - 1;
    while (j > i && isSpace(line[j])) j--;
    return j > i && line[j] == '}';
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
  }

  private static boolean eq(byte[] b, int off, String word) {
    for (int i = 0; i < word.length(); i++) {
      if (NaiveLevelFieldScanner.lower(b[off + i]) != word.charAt(i)) return false;
    }
    return true;
  }

  private static boolean containsAny(byte[] line, byte[][] needles) {
    for (byte[] n : needles) if (indexOf(line, n) >= 0) return true;
    return false;
  }

  static int indexOf(byte[] hay, byte c) {
    for (int i = 0; i < hay.length; i++) if (hay[i] == c) return i;
    return -1;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    int last = hay.length - needle.length;
    byte first = needle[0];
    outer:
    for (int i = 0; i <= last; i++) {
      if (hay[i] != first) continue;
      for (int k = 1; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
      return i;
    }
    return -1;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
