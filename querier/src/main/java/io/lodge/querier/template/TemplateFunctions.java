package io.lodge.querier.template;

import io.lodge.querier.template.GoValues.BasicKind;
import io.lodge.querier.template.GoValues.Int64;
import io.lodge.querier.template.GoValues.Labels;
import io.lodge.querier.template.TemplateFunction.Body;
import io.lodge.querier.template.TemplateFunction.Failure;
import io.lodge.querier.template.TemplateFunction.GoType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every function a LogQL template can call (LOKI-COMPAT 3.7): text/template's built-ins, defined
 * here, and Loki's and Sprig's, defined in {@link LokiFunctions}. The registry is fixed: an unknown
 * name is a parse error ({@code function "x" not defined}).
 */
final class TemplateFunctions {
  private TemplateFunctions() {}

  private static final Map<String, TemplateFunction> ALL = new HashMap<>();

  static final GoType S = GoType.STRING;
  static final GoType I = GoType.INT;
  static final GoType F = GoType.FLOAT64;
  static final GoType A = GoType.ANY;
  static final GoType T = GoType.TIME;
  static final GoType V = GoType.VALUE;

  static {
    def("and", List.of(V), V, (a, e) -> {
      throw new IllegalStateException("and is evaluated by the executor");
    });
    def("or", List.of(V), V, (a, e) -> {
      throw new IllegalStateException("or is evaluated by the executor");
    });
    def("not", List.of(V), null, (a, e) -> !GoValues.isTrue(a[0]));
    def("len", List.of(V), null, (a, e) -> length(a[0]));
    def("index", List.of(V), V, (a, e) -> index(a));
    def("slice", List.of(V), V, (a, e) -> slice(a));
    def("print", List.of(), A, (a, e) -> GoValues.sprint(Arrays.asList(a)));
    def("println", List.of(), A, (a, e) -> GoValues.sprintln(Arrays.asList(a)));
    def("printf", List.of(S), A,
        (a, e) -> GoPrintf.sprintf((String) a[0], Arrays.asList(a).subList(1, a.length)));
    def("html", List.of(), A, (a, e) -> GoEncoding.htmlEscape(evalArgs(a)));
    def("js", List.of(), A, (a, e) -> GoEncoding.jsEscape(evalArgs(a)));
    def("urlquery", List.of(), A, (a, e) -> GoEncoding.queryEscape(evalArgs(a)));
    def("eq", List.of(V), V, (a, e) -> eq(a[0], Arrays.copyOfRange(a, 1, a.length)));
    def("ne", List.of(V, V), null, (a, e) -> !eq(a[0], new Object[] {a[1]}));
    def("lt", List.of(V, V), null, (a, e) -> lt(a[0], a[1]));
    def("le", List.of(V, V), null, (a, e) -> lt(a[0], a[1]) || eq(a[0], new Object[] {a[1]}));
    def("gt", List.of(V, V), null, (a, e) -> !(lt(a[0], a[1]) || eq(a[0], new Object[] {a[1]})));
    def("ge", List.of(V, V), null, (a, e) -> !lt(a[0], a[1]));
    def("call", List.of(V), V, (a, e) -> {
      throw new Failure("call of nil");
    });
    LokiFunctions.register();
  }

  /** Registers a function; {@code variadic} null means a fixed arity. */
  static void def(String name, List<GoType> params, GoType variadic, Body body) {
    ALL.put(name, new TemplateFunction(name, params.toArray(new GoType[0]), variadic, body));
  }

  static boolean exists(String name) {
    return ALL.containsKey(name);
  }

  static TemplateFunction get(String name) {
    return ALL.get(name);
  }

  private static String evalArgs(Object[] args) {
    if (args.length == 1 && args[0] instanceof String s) return s;
    Object[] printable = new Object[args.length];
    for (int i = 0; i < args.length; i++) printable[i] = args[i] == null ? "<no value>" : args[i];
    return GoValues.sprint(Arrays.asList(printable));
  }

  private static long length(Object item) {
    return switch (item) {
      case String s -> utf8Length(s);
      case Labels l -> l.map().size();
      case List<?> l -> l.size();
      case Map<?, ?> m -> m.size();
      case null -> throw new Failure("len of nil pointer");
      default -> throw new Failure("len of type " + GoValues.typeName(item));
    };
  }

  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static int indexArg(Object index, int cap) {
    long x = switch (index) {
      case Long l -> l;
      case Int64 l -> l.value();
      case null -> throw new Failure("cannot index slice/array with nil");
      default -> throw new Failure("cannot index slice/array with type " + GoValues.typeName(index));
    };
    if (x < 0 || x > cap) throw new Failure("index out of range: " + x);
    return (int) x;
  }

  private static Object index(Object[] a) {
    Object item = a[0];
    if (item == null) throw new Failure("index of untyped nil");
    for (int k = 1; k < a.length; k++) {
      Object index = a[k];
      switch (item) {
        case List<?> l -> {
          int x = indexArg(index, l.size());
          if (x == l.size()) throw new Failure("reflect: slice index out of range");
          item = l.get(x);
          if (item == null && k + 1 < a.length) throw new Failure("index of nil pointer");
        }
        case String s -> {
          byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
          int x = indexArg(index, bytes.length);
          if (x == bytes.length) throw new Failure("reflect: string index out of range");
          item = (long) (bytes[x] & 0xff);
        }
        case Labels l -> {
          if (!(index instanceof String key)) throw mapKey(index, "string");
          item = l.map().getOrDefault(key, "");
        }
        case Map<?, ?> m -> {
          if (!(index instanceof String key)) throw mapKey(index, "string");
          item = m.get(key);
          if (item == null && k + 1 < a.length) throw new Failure("index of nil pointer");
        }
        case null -> throw new Failure("index of untyped nil");
        default -> throw new Failure("can't index item of type " + GoValues.typeName(item));
      }
    }
    return item;
  }

  private static Failure mapKey(Object index, String want) {
    if (index == null) return new Failure("value is nil; should be of type " + want);
    return new Failure("value has type " + GoValues.typeName(index) + "; should be " + want);
  }

  private static Object slice(Object[] a) {
    Object item = a[0];
    if (item == null) throw new Failure("slice of untyped nil");
    int n = a.length - 1;
    if (n > 3) throw new Failure("too many slice indexes: " + n);
    int len;
    byte[] bytes = null;
    switch (item) {
      case String s -> {
        if (n == 3) throw new Failure("cannot 3-index slice a string");
        bytes = s.getBytes(StandardCharsets.UTF_8);
        len = bytes.length;
      }
      case List<?> l -> len = l.size();
      default -> throw new Failure("can't slice item of type " + GoValues.typeName(item));
    }
    int[] idx = {0, len, len};
    for (int k = 0; k < n; k++) idx[k] = indexArg(a[k + 1], len);
    if (idx[0] > idx[1]) throw new Failure("invalid slice index: " + idx[0] + " > " + idx[1]);
    if (n == 3 && idx[1] > idx[2]) throw new Failure("invalid slice index: " + idx[1] + " > " + idx[2]);
    if (bytes != null) return new String(bytes, idx[0], idx[1] - idx[0], StandardCharsets.UTF_8);
    return new ArrayList<>(((List<?>) item).subList(idx[0], idx[1]));
  }

  /** text/template's {@code eq}: true when arg1 equals any of the others. */
  static boolean eq(Object arg1, Object[] others) {
    if (others.length == 0) throw new Failure("missing argument for comparison");
    BasicKind k1 = GoValues.basicKind(arg1);
    for (Object arg : others) {
      BasicKind k2 = GoValues.basicKind(arg);
      boolean truth;
      if (k1 != k2) {
        if (arg1 != null && arg != null) throw new Failure("incompatible types for comparison");
        truth = false;
      } else {
        truth = switch (k1) {
          case BOOL -> arg1.equals(arg);
          case FLOAT -> (double) (Double) arg1 == (Double) arg;
          case INT -> GoValues.intOf(arg1) == GoValues.intOf(arg);
          case STRING -> arg1.equals(arg);
          case INVALID -> true;
          case OTHER -> {
            if (arg1 instanceof GoTime t1 && arg instanceof GoTime t2) yield t1.equals(t2);
            if (!(arg1 instanceof GoTime) || !(arg instanceof GoTime)) {
              throw new Failure("non-comparable types " + GoValues.toText(arg1) + ": "
                  + GoValues.typeName(arg1) + ", " + GoValues.typeName(arg) + ": " + GoValues.toText(arg));
            }
            yield false;
          }
        };
      }
      if (truth) return true;
    }
    return false;
  }

  /** text/template's {@code lt}. */
  static boolean lt(Object arg1, Object arg2) {
    BasicKind k1 = GoValues.basicKind(arg1);
    if (k1 == BasicKind.INVALID || k1 == BasicKind.OTHER) throw new Failure("invalid type for comparison");
    BasicKind k2 = GoValues.basicKind(arg2);
    if (k2 == BasicKind.INVALID || k2 == BasicKind.OTHER) throw new Failure("invalid type for comparison");
    if (k1 != k2) throw new Failure("incompatible types for comparison");
    return switch (k1) {
      case FLOAT -> (Double) arg1 < (Double) arg2;
      case INT -> GoValues.intOf(arg1) < GoValues.intOf(arg2);
      case STRING -> GoValues.compareStrings((String) arg1, (String) arg2) < 0;
      default -> throw new Failure("invalid type for comparison");
    };
  }
}
