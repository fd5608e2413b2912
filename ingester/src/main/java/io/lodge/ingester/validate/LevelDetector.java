package io.lodge.ingester.validate;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Loki's {@code detected_level} discovery (LOKI-COMPAT 1.6 item 2), first rule that answers wins:
 * <ol>
 *   <li>a stream label named like a level field (first in the list order), value verbatim;
 *   <li>the same for structured metadata;
 *   <li>structured metadata {@code severity_number} (OTLP) mapped by OpenTelemetry's ranges;
 *   <li>a JSON line's top-level level field, or a logfmt line's level field, its value mapped to a level;
 *   <li>substring checks on the raw line, else {@code unknown}.
 * </ol>
 * Not thread-safe (it reuses one scanner); make one per request or per thread.
 */
public final class LevelDetector {
  /** The structured-metadata name Loki stores the level under. */
  public static final String DETECTED_LEVEL = "detected_level";
  /** The OTLP severity number structured-metadata name. */
  public static final String SEVERITY_NUMBER = "severity_number";
  /**
   * Every level the line and severity rules answer, in a fixed order: WAL records store a lone
   * {@code detected_level} as its index here, so the order is part of the WAL format.
   */
  public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "critical", "fatal", "unknown");
  /** Per level of {@link #LEVELS}, the metadata list holding only it: shared by every such entry. */
  private static final List<List<Label>> LONE_LEVEL = LEVELS.stream()
      .map(level -> List.of(new Label(DETECTED_LEVEL, level))).toList();

  private final List<String> fields;
  private final LevelFieldScanner scanner;

  /** A detector for the given level field names, in priority order (limit {@code log_level_fields}). */
  public LevelDetector(List<String> fields) {
    this.fields = List.copyOf(fields);
    byte[][] keys = new byte[fields.size()][];
    for (int i = 0; i < keys.length; i++) keys[i] = bytes(fields.get(i));
    this.scanner = new LevelFieldScanner(keys);
  }

  /**
   * The level for one entry, or null when Loki would add none (a level label or metadata with an empty
   * value).
   */
  public String detect(LabelSet stream, List<Label> metadata, byte[] line) {
    for (String f : fields) {
      String v = stream.get(f);
      if (v != null) return v.isEmpty() ? null : v;
    }
    return detect(metadata, line);
  }

  /** Whether the stream's labels hold a level field: then it decides every entry's level. */
  public boolean hasLevelLabel(LabelSet stream) {
    for (String f : fields) if (stream.get(f) != null) return true;
    return false;
  }

  /**
   * The level for one entry of a stream without a level label ({@link #hasLevelLabel} false): asked once
   * per stream instead of per entry, the label lookups were 3% of ingest CPU.
   */
  public String detect(List<Label> metadata, byte[] line) {
    for (String f : fields) {
      for (Label l : metadata) {
        if (l.name().equals(f)) return l.value().isEmpty() ? null : l.value();
      }
    }
    for (Label l : metadata) {
      if (l.name().equals(SEVERITY_NUMBER) && !l.value().isEmpty()) return fromSeverityNumber(l.value());
    }
    return fromLine(line);
  }

  /**
   * The index of {@code level} in {@link #LEVELS}, or -1. The rules answer with these very strings, so
   * they are found by identity; a level label's verbatim value by its text.
   */
  public static int levelIndex(String level) {
    for (int i = 0; i < LEVELS.size(); i++) if (LEVELS.get(i) == level) return i;
    return LEVELS.indexOf(level);
  }

  /** The shared metadata list holding only {@code detected_level} = the level at {@code index} of {@link #LEVELS}. */
  public static List<Label> loneLevel(int index) {
    return LONE_LEVEL.get(index);
  }

  /** OpenTelemetry severity number ranges; an unparsable number counts as {@code info}, as in Loki. */
  static String fromSeverityNumber(String text) {
    long n;
    try {
      n = Long.parseLong(text); // Go's Atoi: optional sign, decimal digits
    } catch (NumberFormatException e) {
      return "info";
    }
    // Loki's chain of <= comparisons: negative numbers fall into the first range (trace)
    if (n == 0) return "unknown";
    if (n <= 4) return "trace";
    if (n <= 8) return "debug";
    if (n <= 12) return "info";
    if (n <= 16) return "warn";
    if (n <= 20) return "error";
    if (n <= 24) return "fatal";
    return "unknown";
  }

  /**
   * Rules 4 and 5: the line's own level field, then substrings. For non-JSON lines the substring scan
   * runs first because the same pass tells where the first '=' may be; the logfmt scan runs only when
   * some '=' directly follows a level field name (otherwise it could only find keys without values,
   * which never answer), and the substring answer is used only when the field rule finds nothing.
   */
  String fromLine(byte[] line) {
    if (looksLikeJson(line)) {
      scanner.scanJson(line);
      String level = fieldLevel(line);
      return level != null ? level : fromSubstrings(line);
    }
    long words = LevelWords.scan(line);
    int equalsFrom = LevelWords.equalsFrom(words);
    if (equalsFrom >= 0 && scanner.mayHaveKeyWithValue(line, equalsFrom)) {
      scanner.scanLogfmt(line);
      String level = fieldLevel(line);
      if (level != null) return level;
    }
    return LevelWords.name(LevelWords.rank(words));
  }

  /** The mapped value of the field the last scan found, or null. */
  private String fieldLevel(byte[] line) {
    if (!scanner.found() || scanner.valueLength() < 0) return null;
    return mapValue(scanner.valueBuffer(line), scanner.valueStart(), scanner.valueLength());
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

  /** Rule 5 alone: the level of the best level word in the line, or {@code unknown}. */
  static String fromSubstrings(byte[] line) {
    return LevelWords.name(LevelWords.rank(line));
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
      if (LevelFieldScanner.lower(b[off + i]) != word.charAt(i)) return false;
    }
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
