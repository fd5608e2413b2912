package io.lodge.querier.template;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How template values stand for Go values, and the Go rules on them that templates rely on:
 * truth, Sprig's {@code empty}, type names, comparisons ({@code eq lt …}) and {@code %v} printing.
 *
 * <p>Mapping: {@code String} is Go {@code string}; {@code Long} is {@code int}; {@link Int64} is
 * {@code int64} (Sprig math results, which Go refuses where an {@code int} is wanted); {@code Double}
 * is {@code float64}; {@code Boolean}; {@link GoTime} is {@code time.Time}; {@link Labels} is the
 * {@code map[string]string} a template runs on; {@code List} and sorted {@code Map} are JSON's
 * {@code []interface{}} and {@code map[string]interface{}}; {@code null} is Go's nil / no value.
 */
final class GoValues {
  private GoValues() {}

  /** A Go {@code int64} (distinct from {@code int}, which is a {@code Long}). */
  record Int64(long value) {
    @Override
    public String toString() {
      return Long.toString(value);
    }
  }

  /** The entry's labels: Go's {@code map[string]string}; missing keys read as "" (missingkey=zero). */
  record Labels(Map<String, String> map) {}

  /** Go's name of the value's type, as in {@code %T} and error messages. */
  static String typeName(Object v) {
    return switch (v) {
      case null -> "<nil>";
      case String s -> "string";
      case Long l -> "int";
      case Int64 l -> "int64";
      case Double d -> "float64";
      case Boolean b -> "bool";
      case GoTime t -> "time.Time";
      case Labels l -> "map[string]string";
      case List<?> l -> "[]interface {}";
      case Map<?, ?> m -> "map[string]interface {}";
      default -> v.getClass().getSimpleName();
    };
  }

  /** text/template's {@code isTrue}: empty strings, collections, zero numbers and nil are false. */
  static boolean isTrue(Object v) {
    return switch (v) {
      case null -> false;
      case String s -> !s.isEmpty();
      case Long l -> l != 0;
      case Int64 l -> l.value() != 0;
      case Double d -> d != 0;
      case Boolean b -> b;
      case Labels l -> !l.map().isEmpty();
      case List<?> l -> !l.isEmpty();
      case Map<?, ?> m -> !m.isEmpty();
      default -> true;
    };
  }

  /** Sprig's {@code empty} (used by {@code default}): like falsity, but structs are never empty. */
  static boolean isEmpty(Object v) {
    return !isTrue(v) && !(v instanceof GoTime);
  }

  /** Comparison classes of text/template's {@code basicKind}. */
  enum BasicKind {
    INVALID, BOOL, INT, FLOAT, STRING, OTHER
  }

  static BasicKind basicKind(Object v) {
    return switch (v) {
      case null -> BasicKind.INVALID;
      case Boolean b -> BasicKind.BOOL;
      case Long l -> BasicKind.INT;
      case Int64 l -> BasicKind.INT;
      case Double d -> BasicKind.FLOAT;
      case String s -> BasicKind.STRING;
      default -> BasicKind.OTHER;
    };
  }

  static long intOf(Object v) {
    return v instanceof Long l ? l : ((Int64) v).value();
  }

  /** Compares strings the way Go does (by UTF-8 bytes, i.e. by code point). */
  static int compareStrings(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
          return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /** Appends {@code fmt.Fprint}'s rendering of one value ({@code %v}). */
  static void appendValue(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("<nil>");
      case String s -> b.append(s);
      case Long l -> b.append(l.longValue());
      case Int64 l -> b.append(l.value());
      case Double d -> GoFloat.append(b, d, 'g', -1, false);
      case Boolean bool -> b.append(bool.booleanValue());
      case GoTime t -> t.appendString(b);
      case Labels l -> appendMap(b, l.map() instanceof TreeMap<?, ?> ? l.map() : new TreeMap<>(l.map()));
      case List<?> list -> {
        b.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) b.append(' ');
          appendValue(b, list.get(i));
        }
        b.append(']');
      }
      case Map<?, ?> m -> appendMap(b, m instanceof TreeMap<?, ?> ? m : new TreeMap<>(m));
      default -> b.append(v);
    }
  }

  private static void appendMap(StringBuilder b, Map<?, ?> sorted) {
    b.append("map[");
    boolean first = true;
    for (Map.Entry<?, ?> e : sorted.entrySet()) {
      if (!first) b.append(' ');
      first = false;
      appendValue(b, e.getKey());
      b.append(':');
      appendValue(b, e.getValue());
    }
    b.append(']');
  }

  /** {@code fmt.Sprint}: spaces between operands when neither side is a string. */
  static String sprint(List<Object> args) {
    StringBuilder b = new StringBuilder();
    boolean prevString = false;
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      boolean isString = a instanceof String;
      if (i > 0 && !isString && !prevString) b.append(' ');
      appendValue(b, a);
      prevString = isString;
    }
    return b.toString();
  }

  /** {@code fmt.Sprintln}: spaces between all operands and a final newline. */
  static String sprintln(List<Object> args) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) b.append(' ');
      appendValue(b, args.get(i));
    }
    return b.append('\n').toString();
  }

  /** The string form of a single value ({@code fmt.Sprint(v)}). */
  static String toText(Object v) {
    if (v instanceof String s) return s;
    StringBuilder b = new StringBuilder();
    appendValue(b, v);
    return b.toString();
  }
}
