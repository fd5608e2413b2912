package io.lodge.ingester.index;

import com.google.re2j.Pattern;
import java.util.Objects;

/**
 * A Prometheus label matcher ({@code name="v"}, {@code !=}, {@code =~}, {@code !~}). Regexes are RE2
 * (re2j), fully anchored; a label absent from a stream matches as the empty string.
 */
public final class LabelMatcher {
  /** The four matcher operators. */
  public enum Type {
    EQ("="), NEQ("!="), RE("=~"), NRE("!~");

    private final String op;

    Type(String op) {
      this.op = op;
    }

    public String op() {
      return op;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Pattern pattern;

  private LabelMatcher(Type type, String name, String value) {
    this.type = Objects.requireNonNull(type);
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    this.pattern = type == Type.RE || type == Type.NRE ? Pattern.compile("^(?:" + value + ")$") : null;
  }

  /**
   * Builds a matcher; a bad regex throws {@link com.google.re2j.PatternSyntaxException} for the caller
   * to turn into a 400.
   */
  public static LabelMatcher of(Type type, String name, String value) {
    return new LabelMatcher(type, name, value);
  }

  public static LabelMatcher eq(String name, String value) {
    return of(Type.EQ, name, value);
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  /** Whether a label value (null when the label is absent) satisfies this matcher. */
  public boolean matches(String labelValue) {
    String v = labelValue == null ? "" : labelValue;
    return switch (type) {
      case EQ -> v.equals(value);
      case NEQ -> !v.equals(value);
      case RE -> pattern.matches(v);
      case NRE -> !pattern.matches(v);
    };
  }

  /** Whether an absent label (the empty value) satisfies this matcher. */
  public boolean matchesEmpty() {
    return matches("");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  @Override
  public String toString() {
    return name + type.op + io.lodge.ingester.model.GoQuote.quote(value);
  }
}
