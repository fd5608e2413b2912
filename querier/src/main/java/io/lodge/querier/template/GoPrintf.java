package io.lodge.querier.template;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code fmt.Sprintf} over template values: verbs {@code v s q x X d b o O c U e E f F g G t
 * T %}, flags {@code + - # space 0}, width and precision (also {@code *}), and Go's inline error
 * forms ({@code %!d(string=x)}, {@code %!s(MISSING)}, {@code %!(EXTRA int=1)}) and explicit
 * argument indexes ({@code %[2]s %[1]s}). One instance formats one call.
 */
final class GoPrintf {
  private final StringBuilder buf = new StringBuilder();
  private boolean plus;
  private boolean minus;
  private boolean sharp;
  private boolean space;
  private boolean zero;
  private int wid;
  private boolean widPresent;
  private int prec;
  private boolean precPresent;
  private boolean reordered;
  private boolean goodArgNum = true;

  private GoPrintf() {}

  /** {@code fmt.Sprintf(format, args...)}. */
  static String sprintf(String format, List<Object> args) {
    GoPrintf p = new GoPrintf();
    p.doPrintf(format, args);
    return p.buf.toString();
  }

  private void clearFlags() {
    plus = minus = sharp = space = zero = false;
    wid = prec = 0;
    widPresent = precPresent = false;
  }

  private void doPrintf(String format, List<Object> a) {
    int end = format.length();
    int argNum = 0;
    int i = 0;
    reordered = false;
    while (i < end) {
      goodArgNum = true;
      int lasti = i;
      while (i < end && format.charAt(i) != '%') i++;
      if (i > lasti) buf.append(format, lasti, i);
      if (i >= end) break;
      i++;
      clearFlags();
      flags:
      for (; i < end; i++) {
        switch (format.charAt(i)) {
          case '#' -> sharp = true;
          case '0' -> zero = !minus;
          case '+' -> plus = true;
          case '-' -> {
            minus = true;
            zero = false;
          }
          case ' ' -> space = true;
          default -> {
            break flags;
          }
        }
      }
      int[] st = {argNum, i};
      boolean afterIndex = argNumber(st, format, a.size());
      argNum = st[0];
      i = st[1];
      if (i < end && format.charAt(i) == '*') {
        i++;
        if (argNum < a.size() && (a.get(argNum) instanceof Long || a.get(argNum) instanceof GoValues.Int64)) {
          wid = (int) GoValues.intOf(a.get(argNum));
          widPresent = true;
          if (wid < 0) {
            minus = true;
            zero = false;
            wid = -wid;
          }
        } else {
          buf.append("%!(BADWIDTH)");
        }
        argNum++;
        afterIndex = false;
      } else {
        int s = i;
        while (i < end && format.charAt(i) >= '0' && format.charAt(i) <= '9') i++;
        if (i > s) {
          widPresent = true;
          wid = parseNum(format, s, i);
          if (afterIndex) goodArgNum = false;
        }
      }
      if (i + 1 < end && format.charAt(i) == '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        st[0] = argNum;
        st[1] = i;
        afterIndex = argNumber(st, format, a.size());
        argNum = st[0];
        i = st[1];
        if (i < end && format.charAt(i) == '*') {
          i++;
          if (argNum < a.size() && (a.get(argNum) instanceof Long || a.get(argNum) instanceof GoValues.Int64)) {
            prec = (int) GoValues.intOf(a.get(argNum));
            precPresent = prec >= 0;
            if (prec < 0) prec = 0;
          } else {
            buf.append("%!(BADPREC)");
          }
          argNum++;
          afterIndex = false;
        } else {
          int s = i;
          while (i < end && format.charAt(i) >= '0' && format.charAt(i) <= '9') i++;
          prec = i > s ? parseNum(format, s, i) : 0;
          precPresent = true;
        }
      }
      if (!afterIndex) {
        st[0] = argNum;
        st[1] = i;
        argNumber(st, format, a.size());
        argNum = st[0];
        i = st[1];
      }
      if (i >= end) {
        buf.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (verb == '%') {
        buf.append('%');
      } else if (!goodArgNum) {
        buf.append("%!").appendCodePoint(verb).append("(BADINDEX)");
      } else if (argNum >= a.size()) {
        buf.append("%!").appendCodePoint(verb).append("(MISSING)");
      } else {
        if (verb == 'v') {
          // %+v and %#v only change structs and Go syntax; plain values print as %v.
          plus = false;
          sharp = false;
        }
        printArg(a.get(argNum), verb);
        argNum++;
      }
    }
    if (!reordered && argNum < a.size()) {
      clearFlags();
      buf.append("%!(EXTRA ");
      for (int k = argNum; k < a.size(); k++) {
        if (k > argNum) buf.append(", ");
        Object arg = a.get(k);
        if (arg == null) {
          buf.append("<nil>");
        } else {
          buf.append(GoValues.typeName(arg)).append('=');
          printArg(arg, 'v');
        }
      }
      buf.append(')');
    }
  }

  /**
   * Go's {@code argNumber}: an explicit {@code [n]} at {@code st[1]} selects argument n (1-based)
   * and marks the call reordered. Updates {@code st = {argNum, i}}; returns whether one was found.
   */
  private boolean argNumber(int[] st, String format, int numArgs) {
    int i = st[1];
    if (i >= format.length() || format.charAt(i) != '[') return false;
    reordered = true;
    int close = -1;
    if (format.length() - i >= 3) {
      for (int k = i + 1; k < format.length(); k++) {
        if (format.charAt(k) == ']') {
          close = k;
          break;
        }
      }
    }
    if (close < 0) {
      goodArgNum = false;
      st[1] = i + 1;
      return false;
    }
    String digits = format.substring(i + 1, close);
    st[1] = close + 1;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      goodArgNum = false;
      return false;
    }
    int index = parseNum(format, i + 1, close) - 1;
    if (index >= 0 && index < numArgs) {
      st[0] = index;
      return true;
    }
    goodArgNum = false;
    return true;
  }

  private static int parseNum(String s, int from, int to) {
    long v = 0;
    for (int k = from; k < to; k++) {
      v = v * 10 + (s.charAt(k) - '0');
      if (v > 1_000_000) return 1_000_000;
    }
    return (int) v;
  }

  private void printArg(Object arg, int verb) {
    if (arg == null) {
      if (verb == 'T' || verb == 'v') {
        padString("<nil>");
      } else {
        badVerb(null, verb);
      }
      return;
    }
    if (verb == 'T') {
      fmtS(GoValues.typeName(arg));
      return;
    }
    switch (arg) {
      case Boolean b -> {
        if (verb == 't' || verb == 'v') {
          padString(b ? "true" : "false");
        } else {
          badVerb(arg, verb);
        }
      }
      case Double d -> fmtFloat(arg, d, verb);
      case Long l -> fmtInteger(arg, l, verb);
      case GoValues.Int64 l -> fmtInteger(arg, l.value(), verb);
      case String s -> fmtString(arg, s, verb);
      case GoTime t -> {
        if (verb == 'v' || verb == 's' || verb == 'x' || verb == 'X' || verb == 'q') {
          fmtString(arg, t.toString(), verb);
        } else {
          badVerb(arg, verb);
        }
      }
      case List<?> list -> {
        buf.append('[');
        for (int k = 0; k < list.size(); k++) {
          if (k > 0) buf.append(' ');
          printArg(list.get(k), verb);
        }
        buf.append(']');
      }
      case GoValues.Labels l -> printMap(new TreeMap<>(l.map()), verb);
      case Map<?, ?> m -> printMap(m, verb);
      default -> padString(arg.toString());
    }
  }

  private void printMap(Map<?, ?> m, int verb) {
    buf.append("map[");
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!first) buf.append(' ');
      first = false;
      printArg(e.getKey(), verb);
      buf.append(':');
      printArg(e.getValue(), verb);
    }
    buf.append(']');
  }

  private void badVerb(Object arg, int verb) {
    buf.append("%!").appendCodePoint(verb).append('(');
    if (arg != null) {
      buf.append(GoValues.typeName(arg)).append('=');
      printArg(arg, 'v');
    } else {
      buf.append("<nil>");
    }
    buf.append(')');
  }

  private void writePadding(int n) {
    char c = zero && !minus ? '0' : ' ';
    for (int k = 0; k < n; k++) buf.append(c);
  }

  private void pad(String s) {
    if (!widPresent || wid == 0) {
      buf.append(s);
      return;
    }
    int width = wid - s.codePointCount(0, s.length());
    if (!minus) {
      writePadding(width);
      buf.append(s);
    } else {
      buf.append(s);
      for (int k = 0; k < width; k++) buf.append(' ');
    }
  }

  private void padString(String s) {
    pad(s);
  }

  private String truncate(String s) {
    if (precPresent && s.codePointCount(0, s.length()) > prec) {
      return s.substring(0, s.offsetByCodePoints(0, prec));
    }
    return s;
  }

  private void fmtS(String s) {
    padString(truncate(s));
  }

  private void fmtString(Object arg, String s, int verb) {
    // Since Go 1.23 the 0 flag no longer pads strings with zeros (golang/go#56486).
    zero = false;
    switch (verb) {
      case 'v', 's' -> fmtS(s);
      case 'x', 'X' -> fmtSx(s, verb == 'X');
      case 'q' -> {
        String t = truncate(s);
        if (sharp && t.indexOf('`') < 0 && noControl(t)) {
          padString("`" + t + "`");
        } else {
          padString(GoQuote.quote(t, '"', plus));
        }
      }
      default -> badVerb(arg, verb);
    }
  }

  private static boolean noControl(String s) {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < ' ' && c != '\t' || c == 0x7f || c == '\ufeff') return false;
    }
    return true;
  }

  private void fmtSx(String s, boolean upper) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    int length = bytes.length;
    if (precPresent && prec < length) length = prec;
    String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < length; k++) {
      if (space && k > 0) b.append(' ');
      if (sharp && (space || k == 0)) b.append('0').append(upper ? 'X' : 'x');
      b.append(digits.charAt((bytes[k] >> 4) & 0xf)).append(digits.charAt(bytes[k] & 0xf));
    }
    padString(b.toString());
  }

  private void fmtInteger(Object arg, long v, int verb) {
    switch (verb) {
      case 'v', 'd' -> fmtInt(v, 10, verb, false);
      case 'b' -> fmtInt(v, 2, verb, false);
      case 'o', 'O' -> fmtInt(v, 8, verb, false);
      case 'x' -> fmtInt(v, 16, verb, false);
      case 'X' -> fmtInt(v, 16, verb, true);
      case 'c' -> padString(new String(Character.toChars(validRune(v))));
      case 'q' -> {
        int r = validRune(v);
        StringBuilder b = new StringBuilder("'");
        if (r == '\'') {
          b.append("\\'");
        } else if (r == '"') {
          b.append('"');
        } else {
          GoQuote.appendEscaped(b, r, '\'', plus);
        }
        padString(b.append('\'').toString());
      }
      case 'U' -> {
        String h = Long.toHexString(v).toUpperCase();
        StringBuilder b = new StringBuilder("U+");
        int minDigits = precPresent && prec > 4 ? prec : 4;
        for (int k = h.length(); k < minDigits; k++) b.append('0');
        b.append(h);
        if (sharp && v >= 0 && v <= 0x10ffff && GoQuote.isPrint((int) v)) {
          b.append(" '").appendCodePoint((int) v).append('\'');
        }
        boolean z = zero;
        zero = false;
        padString(b.toString());
        zero = z;
      }
      default -> badVerb(arg, verb);
    }
  }

  private static int validRune(long v) {
    if (v < 0 || v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return 0xfffd;
    return (int) v;
  }

  private void fmtInt(long v, int base, int verb, boolean upper) {
    boolean negative = v < 0;
    String digits = negative ? Long.toUnsignedString(-v, base) : Long.toString(v, base);
    if (v == Long.MIN_VALUE) digits = Long.toUnsignedString(v, base);
    if (upper) digits = digits.toUpperCase();
    int p = 0;
    if (precPresent) {
      p = prec;
      if (p == 0 && v == 0) {
        boolean z = zero;
        zero = false;
        writePadding(wid);
        zero = z;
        return;
      }
    } else if (zero && !minus && widPresent) {
      p = wid;
      if (negative || plus || space) p--;
    }
    StringBuilder b = new StringBuilder();
    for (int k = digits.length(); k < p; k++) b.append('0');
    b.append(digits);
    if (sharp) {
      switch (base) {
        case 2 -> b.insert(0, "0b");
        case 8 -> {
          if (b.charAt(0) != '0') b.insert(0, '0');
        }
        case 16 -> b.insert(0, upper ? "0X" : "0x");
        default -> {}
      }
    }
    if (verb == 'O') b.insert(0, "0o");
    if (negative) {
      b.insert(0, '-');
    } else if (plus) {
      b.insert(0, '+');
    } else if (space) {
      b.insert(0, ' ');
    }
    boolean z = zero;
    zero = false;
    pad(b.toString());
    zero = z;
  }

  private void fmtFloat(Object arg, double v, int verb) {
    char fmt;
    int p;
    switch (verb) {
      case 'v' -> {
        fmt = 'g';
        p = -1;
      }
      case 'g', 'G' -> {
        fmt = (char) verb;
        p = -1;
      }
      case 'e', 'E', 'f', 'F' -> {
        fmt = (char) verb;
        p = 6;
      }
      default -> {
        badVerb(arg, verb);
        return;
      }
    }
    if (precPresent) p = prec;
    StringBuilder nb = new StringBuilder();
    GoFloat.append(nb, v, fmt == 'F' ? 'f' : fmt, p, true);
    String num = Double.isNaN(v) ? "+NaN" : nb.toString();
    if (space && num.charAt(0) == '+' && !plus) num = " " + num.substring(1);
    if (num.charAt(1) == 'I' || num.charAt(1) == 'N') {
      boolean z = zero;
      zero = false;
      if (num.charAt(1) == 'N' && !space && !plus) num = num.substring(1);
      pad(num);
      zero = z;
      return;
    }
    if (plus || num.charAt(0) != '+') {
      if (zero && widPresent && wid > num.length()) {
        buf.append(num.charAt(0));
        writePadding(wid - num.length());
        buf.append(num, 1, num.length());
        return;
      }
      pad(num);
      return;
    }
    pad(num.substring(1));
  }
}
