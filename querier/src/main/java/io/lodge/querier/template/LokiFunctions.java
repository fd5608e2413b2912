package io.lodge.querier.template;

import static io.lodge.querier.template.TemplateFunctions.A;
import static io.lodge.querier.template.TemplateFunctions.F;
import static io.lodge.querier.template.TemplateFunctions.I;
import static io.lodge.querier.template.TemplateFunctions.S;
import static io.lodge.querier.template.TemplateFunctions.T;
import static io.lodge.querier.template.TemplateFunctions.def;

import io.lodge.querier.template.GoValues.Int64;
import io.lodge.querier.template.TemplateFunction.Failure;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Loki's own template functions and the Sprig functions Loki registers (LOKI-COMPAT 3.7), with
 * Go/Sprig semantics: Sprig math converts leniently (unparsable strings are 0) and returns
 * {@code int64}; {@code addf subf mulf divf} compute in decimal like shopspring/decimal;
 * {@code trunc substr} cut UTF-8 bytes like Sprig's, {@code alignLeft alignRight} count runes.
 */
final class LokiFunctions {
  private LokiFunctions() {}

  static void register() {
    // Loki: deprecated Go strings functions.
    def("ToLower", List.of(S), null, (a, e) -> GoStrings.toLower((String) a[0]));
    def("ToUpper", List.of(S), null, (a, e) -> GoStrings.toUpper((String) a[0]));
    def("Replace", List.of(S, S, S, I), null,
        (a, e) -> GoStrings.replace((String) a[0], (String) a[1], (String) a[2], (Long) a[3]));
    def("Trim", List.of(S, S), null, (a, e) -> GoStrings.trim((String) a[0], (String) a[1], true, true));
    def("TrimLeft", List.of(S, S), null, (a, e) -> GoStrings.trim((String) a[0], (String) a[1], true, false));
    def("TrimRight", List.of(S, S), null, (a, e) -> GoStrings.trim((String) a[0], (String) a[1], false, true));
    def("TrimPrefix", List.of(S, S), null, (a, e) -> trimPrefix((String) a[0], (String) a[1]));
    def("TrimSuffix", List.of(S, S), null, (a, e) -> trimSuffix((String) a[0], (String) a[1]));
    def("TrimSpace", List.of(S), null, (a, e) -> GoStrings.trimSpace((String) a[0]));
    // Loki: regexes, encodings, conversions, time.
    def("regexReplaceAll", List.of(S, S, S), null,
        (a, e) -> GoRegexp.replaceAll((String) a[0], (String) a[1], (String) a[2], false));
    def("regexReplaceAllLiteral", List.of(S, S, S), null,
        (a, e) -> GoRegexp.replaceAll((String) a[0], (String) a[1], (String) a[2], true));
    def("count", List.of(S, S), null, (a, e) -> (long) GoRegexp.count((String) a[0], (String) a[1]));
    def("urldecode", List.of(S), null, (a, e) -> GoEncoding.queryUnescape((String) a[0]));
    def("urlencode", List.of(S), null, (a, e) -> GoEncoding.queryEscape((String) a[0]));
    def("bytes", List.of(S), null, (a, e) -> GoStrings.parseBytes(((String) a[0]).replace(" ", "")));
    def("duration", List.of(S), null, (a, e) -> GoDuration.seconds(GoDuration.parse((String) a[0])));
    def("duration_seconds", List.of(S), null,
        (a, e) -> GoDuration.seconds(GoDuration.parse((String) a[0])));
    def("unixEpochMillis", List.of(T), null, (a, e) -> Long.toString(((GoTime) a[0]).unixMilli()));
    def("unixEpochNanos", List.of(T), null, (a, e) -> Long.toString(((GoTime) a[0]).unixNano()));
    def("toDateInZone", List.of(S, S, S), null, (a, e) -> toDate((String) a[0], (String) a[2], zone((String) a[1])));
    def("unixToTime", List.of(S), null, (a, e) -> unixToTime((String) a[0]));
    def("alignLeft", List.of(I, S), null, (a, e) -> align((Long) a[0], (String) a[1], true));
    def("alignRight", List.of(I, S), null, (a, e) -> align((Long) a[0], (String) a[1], false));
    def("__line__", List.of(), null, (a, e) -> e.line());
    def("__timestamp__", List.of(), null, (a, e) -> GoTime.ofUnixNanos(e.timestampNanos()));
    // Sprig strings.
    def("b64enc", List.of(S), null, (a, e) -> GoEncoding.b64enc((String) a[0]));
    def("b64dec", List.of(S), null, (a, e) -> GoEncoding.b64dec((String) a[0]));
    def("lower", List.of(S), null, (a, e) -> GoStrings.toLower((String) a[0]));
    def("upper", List.of(S), null, (a, e) -> GoStrings.toUpper((String) a[0]));
    def("title", List.of(S), null, (a, e) -> GoStrings.title((String) a[0]));
    def("trunc", List.of(I, S), null, (a, e) -> trunc((Long) a[0], (String) a[1]));
    def("substr", List.of(I, I, S), null, (a, e) -> substring((Long) a[0], (Long) a[1], (String) a[2]));
    def("contains", List.of(S, S), null, (a, e) -> ((String) a[1]).contains((String) a[0]));
    def("hasPrefix", List.of(S, S), null, (a, e) -> ((String) a[1]).startsWith((String) a[0]));
    def("hasSuffix", List.of(S, S), null, (a, e) -> ((String) a[1]).endsWith((String) a[0]));
    def("indent", List.of(I, S), null, (a, e) -> indent((Long) a[0], (String) a[1]));
    def("nindent", List.of(I, S), null, (a, e) -> "\n" + indent((Long) a[0], (String) a[1]));
    def("replace", List.of(S, S, S), null,
        (a, e) -> GoStrings.replace((String) a[2], (String) a[0], (String) a[1], -1));
    def("repeat", List.of(I, S), null, (a, e) -> repeat((String) a[1], (Long) a[0]));
    def("trim", List.of(S), null, (a, e) -> GoStrings.trimSpace((String) a[0]));
    def("trimAll", List.of(S, S), null, (a, e) -> GoStrings.trim((String) a[1], (String) a[0], true, true));
    def("trimSuffix", List.of(S, S), null, (a, e) -> trimSuffix((String) a[1], (String) a[0]));
    def("trimPrefix", List.of(S, S), null, (a, e) -> trimPrefix((String) a[1], (String) a[0]));
    // Sprig conversions and math.
    def("int", List.of(A), null, (a, e) -> GoNumbers.toInt64(a[0]));
    def("float64", List.of(A), null, (a, e) -> GoNumbers.toFloat64(a[0]));
    def("add", List.of(), A, (a, e) -> {
      long s = 0;
      for (Object o : a) s += GoNumbers.toInt64(o);
      return new Int64(s);
    });
    def("sub", List.of(A, A), null, (a, e) -> new Int64(GoNumbers.toInt64(a[0]) - GoNumbers.toInt64(a[1])));
    def("mul", List.of(A), A, (a, e) -> {
      long p = GoNumbers.toInt64(a[0]);
      for (int k = 1; k < a.length; k++) p *= GoNumbers.toInt64(a[k]);
      return new Int64(p);
    });
    def("div", List.of(A, A), null, (a, e) -> new Int64(GoNumbers.toInt64(a[0]) / divisor(a[1])));
    def("mod", List.of(A, A), null, (a, e) -> new Int64(GoNumbers.toInt64(a[0]) % divisor(a[1])));
    def("addf", List.of(), A, (a, e) -> decimalOp('+', 0.0, a, 0));
    def("subf", List.of(A), A, (a, e) -> decimalOp('-', a[0], a, 1));
    def("mulf", List.of(A), A, (a, e) -> decimalOp('*', a[0], a, 1));
    def("divf", List.of(A), A, (a, e) -> decimalOp('/', a[0], a, 1));
    def("max", List.of(A), A, (a, e) -> {
      long m = GoNumbers.toInt64(a[0]);
      for (int k = 1; k < a.length; k++) m = Math.max(m, GoNumbers.toInt64(a[k]));
      return new Int64(m);
    });
    def("min", List.of(A), A, (a, e) -> {
      long m = GoNumbers.toInt64(a[0]);
      for (int k = 1; k < a.length; k++) m = Math.min(m, GoNumbers.toInt64(a[k]));
      return new Int64(m);
    });
    def("maxf", List.of(A), A, (a, e) -> {
      double m = GoNumbers.toFloat64(a[0]);
      for (int k = 1; k < a.length; k++) m = Math.max(m, GoNumbers.toFloat64(a[k]));
      return m;
    });
    def("minf", List.of(A), A, (a, e) -> {
      double m = GoNumbers.toFloat64(a[0]);
      for (int k = 1; k < a.length; k++) m = Math.min(m, GoNumbers.toFloat64(a[k]));
      return m;
    });
    def("ceil", List.of(A), null, (a, e) -> Math.ceil(GoNumbers.toFloat64(a[0])));
    def("floor", List.of(A), null, (a, e) -> Math.floor(GoNumbers.toFloat64(a[0])));
    def("round", List.of(A, I), F, (a, e) -> round(a));
    def("fromJson", List.of(S), null, (a, e) -> GoJson.decode((String) a[0]));
    def("default", List.of(A), A, (a, e) -> a.length < 2 || GoValues.isEmpty(a[1]) ? a[0] : a[1]);
    // Sprig dates.
    def("date", List.of(S, A), null, (a, e) -> date((String) a[0], a[1]));
    def("toDate", List.of(S, S), null, (a, e) -> toDate((String) a[0], (String) a[1], GoTime.localZone()));
    def("now", List.of(), null, (a, e) -> GoTime.now());
    def("unixEpoch", List.of(T), null, (a, e) -> Long.toString(((GoTime) a[0]).unix()));
  }

  private static String trimPrefix(String s, String prefix) {
    return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
  }

  private static String trimSuffix(String s, String suffix) {
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  private static int[] runes(String s) {
    return s.codePoints().toArray();
  }

  private static String fromRunes(int[] r, int from, int to) {
    return new String(r, from, to - from);
  }

  /**
   * Sprig's {@code trunc}, on UTF-8 bytes: Loki registers Sprig's version (its own rune-based one
   * is not wired in), so a cut inside a multi-byte character leaves a broken character.
   */
  static String trunc(long c, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int l = b.length;
    if (c < 0 && l + c > 0) return new String(b, (int) (l + c), (int) -c, StandardCharsets.UTF_8);
    if (c >= 0 && l > c) return new String(b, 0, (int) c, StandardCharsets.UTF_8);
    return s;
  }

  /** Sprig's {@code substr} on UTF-8 bytes, failing with Go's slice-bounds panic text. */
  static String substring(long start, long end, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int l = b.length;
    if (start < 0) {
      if (end < 0) throw new Failure("runtime error: slice bounds out of range [:" + end + "]");
      if (end > l) throw new Failure("runtime error: slice bounds out of range [:" + end + "] with length " + l);
      return new String(b, 0, (int) end, StandardCharsets.UTF_8);
    }
    if (end < 0 || end > l) {
      if (start > l) throw new Failure("runtime error: slice bounds out of range [" + start + ":" + l + "]");
      return new String(b, (int) start, l - (int) start, StandardCharsets.UTF_8);
    }
    if (start > end) throw new Failure("runtime error: slice bounds out of range [" + start + ":" + end + "]");
    return new String(b, (int) start, (int) (end - start), StandardCharsets.UTF_8);
  }

  static String align(long count, String src, boolean left) {
    int[] r = runes(src);
    int l = r.length;
    if (count < 0 || count == l) return src;
    long pad = count - l;
    if (pad > 0) {
      String spaces = " ".repeat((int) pad);
      return left ? src + spaces : spaces + src;
    }
    return left ? fromRunes(r, 0, (int) count) : fromRunes(r, l - (int) count, l);
  }

  private static String indent(long spaces, String v) {
    String pad = repeat(" ", spaces);
    return pad + v.replace("\n", "\n" + pad);
  }

  private static String repeat(String s, long count) {
    if (count < 0) throw new Failure("strings: negative Repeat count");
    if (s.length() * count > Integer.MAX_VALUE / 2) throw new Failure("strings: Repeat output length overflow");
    return s.repeat((int) count);
  }

  private static long divisor(Object v) {
    long d = GoNumbers.toInt64(v);
    if (d == 0) throw new Failure("runtime error: integer divide by zero");
    return d;
  }

  /** Sprig's {@code execDecimalOp}: shopspring decimals from each float's shortest form. */
  private static double decimalOp(char op, Object first, Object[] args, int from) {
    BigDecimal acc = decimal(GoNumbers.toFloat64(first));
    for (int k = from; k < args.length; k++) {
      BigDecimal x = decimal(GoNumbers.toFloat64(args[k]));
      acc = switch (op) {
        case '+' -> acc.add(x);
        case '-' -> acc.subtract(x);
        case '*' -> acc.multiply(x);
        default -> {
          if (x.signum() == 0) throw new Failure("decimal division by 0");
          yield acc.divide(x, 16, RoundingMode.HALF_UP);
        }
      };
    }
    return acc.doubleValue();
  }

  private static BigDecimal decimal(double f) {
    if (Double.isNaN(f) || Double.isInfinite(f)) {
      throw new Failure("Cannot create a Decimal from " + GoFloat.shortest(f));
    }
    return new BigDecimal(Double.toString(f));
  }

  private static double round(Object[] a) {
    double roundOn = a.length > 2 ? (Double) a[2] : 0.5;
    double val = GoNumbers.toFloat64(a[0]);
    double pow = Math.pow(10, (double) (Long) a[1]);
    double digit = pow * val;
    double div = digit - (digit < 0 ? Math.ceil(digit) : Math.floor(digit));
    double r = div >= roundOn ? Math.ceil(digit) : Math.floor(digit);
    return r / pow;
  }

  /** Go's {@code time.LoadLocation}, falling back to UTC as Loki does on an unknown zone. */
  static ZoneId zone(String name) {
    if (name.isEmpty() || name.equals("UTC")) return GoTime.UTC;
    if (name.equals("Local")) return GoTime.localZone();
    try {
      ZoneId z = ZoneId.of(name);
      return z instanceof ZoneOffset ? GoTime.UTC : z;
    } catch (DateTimeException e) {
      return GoTime.UTC;
    }
  }

  private static GoTime toDate(String layout, String value, ZoneId zone) {
    GoTime t = GoTimeLayout.parse(layout, value, zone);
    return t == null ? GoTime.zero() : t;
  }

  private static String date(String layout, Object date) {
    GoTime t = switch (date) {
      case GoTime g -> g;
      case Long l -> GoTime.ofUnix(l, 0);
      case Int64 l -> GoTime.ofUnix(l.value(), 0);
      case null, default -> GoTime.now();
    };
    StringBuilder b = new StringBuilder();
    GoTimeLayout.format(b, t.in(GoTime.localZone()), layout);
    return b.toString();
  }

  private static GoTime unixToTime(String epoch) {
    Long v = GoNumbers.parseDecimal64(epoch);
    if (v == null) {
      boolean range = epoch.matches("[+-]?[0-9]+");
      throw new Failure("unable to parse time '" + epoch + "': strconv.ParseInt: parsing "
          + GoQuote.quote(epoch) + ": " + (range ? "value out of range" : "invalid syntax"));
    }
    long i = v;
    return switch (epoch.length()) {
      case 5 -> GoTime.ofUnix(i * 86400, 0);
      case 10 -> GoTime.ofUnix(i, 0);
      case 13 -> GoTime.ofUnix(0, i * 1_000_000);
      case 16 -> GoTime.ofUnix(0, i * 1_000);
      case 19 -> GoTime.ofUnix(0, i);
      default -> throw new Failure("unable to parse time '" + epoch + "': %!w(<nil>)");
    };
  }
}
