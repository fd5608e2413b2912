package io.lodge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The type of one configuration value: how its text (a YAML scalar or a flag value) is parsed, and how
 * it is written back by {@link ConfigRenderer} so that parsing the rendered text gives the same value.
 */
enum ValueKind {
  /** {@code true}/{@code false}; also YAML 1.1's yes/no/on/off and Go flag's 1/0/t/f, as Loki accepts them. */
  BOOL("boolean", "a boolean (true or false)"),
  /** A 32-bit integer. */
  INT("int", "an integer"),
  /** Bytes held in a {@code long}, written as a plain integer (Loki's int fields), size units accepted. */
  INT_BYTES("int", "an integer number of bytes"),
  /** Bytes, written the way Loki's {@code flagext.ByteSize} prints them ({@code 256KB}). */
  SIZE("size", "a size like 1024, 256KB or 3MB"),
  /** A 64-bit float. */
  FLOAT("float", "a number"),
  /** A Go {@code time.Duration} field, written Go-style ({@code 2h0m0s}). */
  DURATION_GO("duration", "a duration like 30s, 1h30m or 7d"),
  /** A Prometheus {@code model.Duration} field, written Prometheus-style ({@code 1w}, {@code 30d1h}). */
  DURATION_PROM("duration", "a duration like 30s, 1h30m or 7d"),
  /** Any string. */
  STRING("string", "a string"),
  /** A filesystem path; empty means unset (null). */
  PATH("string", "a path"),
  /** A YAML list of strings; as a flag, a comma-separated list. */
  STRING_LIST("list", "a list of strings"),
  /** An RFC 3339 instant; empty means unset (null). */
  TIME("time", "an RFC3339 time like 2024-01-02T15:04:05Z"),
  /**
   * A list of {@code otlp_config} rules ({@code action}, {@code attributes}, {@code regex}); read from the
   * YAML node tree by {@link YamlConfigReader}, never from a flag.
   */
  ATTRIBUTE_RULES("list", "a list of rules with action and attributes or regex");

  private static final Pattern FLOAT_TEXT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private static final Pattern ZONE_SUFFIX = Pattern.compile("([zZ]|[+-]\\d\\d:\\d\\d)$");

  private final String typeName;
  private final String expected;

  ValueKind(String typeName, String expected) {
    this.typeName = typeName;
    this.expected = expected;
  }

  /** Short type name for usage text, like Go's flag package prints it. */
  public String typeName() {
    return typeName;
  }

  /** What a valid value looks like, for error messages ("expected an integer, got 'abc'"). */
  public String expected() {
    return expected;
  }

  /**
   * Parses one value from text (a YAML scalar or a flag value; a list from flags is comma-separated).
   *
   * @throws IllegalArgumentException with "expected ..., got '...'" text; callers prefix key and position
   */
  public Object parse(String text) {
    String t = text.trim();
    if (this == ATTRIBUTE_RULES) throw mismatch(text, null);
    try {
      return switch (this) {
        case BOOL -> parseBool(t);
        case INT -> Integer.parseInt(t.startsWith("+") ? t.substring(1) : t);
        case INT_BYTES, SIZE -> ByteSizes.parse(t);
        case FLOAT -> {
          if (!FLOAT_TEXT.matcher(t).matches()) throw new NumberFormatException(t);
          yield Double.parseDouble(t);
        }
        case DURATION_GO, DURATION_PROM -> Durations.parse(t);
        case STRING -> text;
        case PATH -> t.isEmpty() ? null : Path.of(t);
        case STRING_LIST -> splitList(t);
        case TIME -> t.isEmpty() || t.equals("0") ? null : parseTime(t);
        case ATTRIBUTE_RULES -> throw new IllegalStateException("rules are read from YAML nodes, not text");
      };
    } catch (NumberFormatException | DateTimeParseException | java.nio.file.InvalidPathException e) {
      throw mismatch(text, e);
    } catch (IllegalArgumentException e) {
      // size and duration parsers explain themselves; keep their text but make the expectation explicit
      throw new IllegalArgumentException("expected " + expected + ", got '" + text + "' (" + e.getMessage() + ")", e);
    }
  }

  /** Converts a value to what the YAML dumper should write (so {@link #parse} reads it back equal). */
  public Object render(Object value) {
    return switch (this) {
      case BOOL, INT, INT_BYTES, FLOAT -> value;
      case SIZE -> ByteSizes.format((Long) value);
      case DURATION_GO -> Durations.formatGo((Duration) value);
      case DURATION_PROM -> Durations.formatPrometheus((Duration) value);
      case STRING -> value == null ? "" : value;
      case PATH -> value == null ? "" : value.toString();
      case STRING_LIST -> List.copyOf(castList(value));
      case TIME -> value == null ? "" : DateTimeFormatter.ISO_INSTANT.format((Instant) value);
      case ATTRIBUTE_RULES -> renderRules(value);
    };
  }

  /** Renders a value as flag text (lists comma-separated), for usage defaults. */
  public String renderFlag(Object value) {
    Object r = render(value);
    return r instanceof List<?> l ? String.join(",", castList(l)) : String.valueOf(r);
  }

  private static List<Map<String, Object>> renderRules(Object value) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<?>) value) {
      OtlpAttributesRule rule = (OtlpAttributesRule) o;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("action", rule.action().yamlName());
      if (!rule.attributes().isEmpty()) m.put("attributes", rule.attributes());
      if (rule.regex() != null) m.put("regex", rule.regex());
      out.add(m);
    }
    return out;
  }

  private IllegalArgumentException mismatch(String text, Exception cause) {
    return new IllegalArgumentException("expected " + expected + ", got '" + text + "'", cause);
  }

  private static boolean parseBool(String t) {
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1", "t", "y" -> true;
      case "false", "no", "off", "0", "f", "n" -> false;
      default -> throw new NumberFormatException(t);
    };
  }

  /** RFC 3339; like dskit's {@code flagext.Time}, also a bare date or a zone-less time, read as UTC. */
  private static Instant parseTime(String t) {
    if (t.length() == 10) return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    if (!ZONE_SUFFIX.matcher(t).find()) return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    return OffsetDateTime.parse(t.replace('z', 'Z'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }

  private static List<String> splitList(String t) {
    List<String> out = new ArrayList<>();
    for (String part : t.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) out.add(p);
    }
    return List.copyOf(out);
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object value) {
    return (List<String>) value;
  }
}
