package io.lodge.querier.template;

/**
 * A function a template may call, with the Go signature text/template checks calls against:
 * fixed parameter types, an optional variadic element type, and whether the Go result is an
 * {@code interface{}} (whose nil prints {@code <no value>}).
 */
record TemplateFunction(String name, GoType[] params, GoType variadic, Body body) {

  /** Go parameter types as far as template calls can tell them apart. */
  enum GoType {
    STRING("string"), INT("int"), INT64("int64"), FLOAT64("float64"), BOOL("bool"),
    TIME("time.Time"), ANY("interface {}"), VALUE("reflect.Value");

    final String goName;

    GoType(String goName) {
      this.goName = goName;
    }

    /** Whether a value of this Java representation is assignable to the Go type. */
    boolean accepts(Object v) {
      return switch (this) {
        case STRING -> v instanceof String;
        case INT -> v instanceof Long;
        case INT64 -> v instanceof GoValues.Int64;
        case FLOAT64 -> v instanceof Double;
        case BOOL -> v instanceof Boolean;
        case TIME -> v instanceof GoTime;
        case ANY, VALUE -> true;
      };
    }
  }

  /** What a function sees of the running template: the entry's line and timestamp. */
  interface Entry {
    String line();

    long timestampNanos();
  }

  /** The function body; args are already checked against the signature. */
  @FunctionalInterface
  interface Body {
    Object call(Object[] args, Entry entry);
  }

  /** A Go function's error result (or recovered panic); the caller adds {@code error calling f: }. */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message, null, false, false);
    }
  }

  boolean isVariadic() {
    return variadic != null;
  }
}
