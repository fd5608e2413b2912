package io.lodge.querier.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code strconv.AppendFloat} for 64-bit floats: formats {@code e E f F g G} with a precision,
 * or with -1 for the shortest digits that read back to the same value (what {@code %v} prints:
 * {@code 3e+06}, {@code 0.003}, {@code 1.234567e+06}). Digits come from {@link BigDecimal}: exact
 * binary expansion rounded half-to-even, or {@link Double#toString} (shortest since JDK 19).
 */
final class GoFloat {
  private GoFloat() {}

  /** Appends {@code d} formatted as Go's {@code strconv.FormatFloat(d, fmt, prec, 64)}. */
  static void append(StringBuilder b, double d, char fmt, int prec, boolean plusSign) {
    if (Double.isNaN(d)) {
      b.append("NaN");
      return;
    }
    if (Double.isInfinite(d)) {
      b.append(d > 0 ? "+Inf" : "-Inf");
      return;
    }
    boolean neg = Double.doubleToRawLongBits(d) < 0;
    double abs = Math.abs(d);
    boolean shortest = prec < 0;
    String digits;
    int dp;
    if (abs == 0) {
      digits = "";
      dp = 0;
    } else {
      BigDecimal bd;
      if (shortest) {
        bd = new BigDecimal(Double.toString(abs));
      } else {
        bd = new BigDecimal(abs);
        switch (fmt) {
          case 'e', 'E' -> bd = bd.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
          case 'f', 'F' -> bd = bd.setScale(prec, RoundingMode.HALF_EVEN);
          default -> bd = bd.round(new MathContext(prec == 0 ? 1 : prec, RoundingMode.HALF_EVEN));
        }
      }
      if (bd.signum() == 0) {
        digits = "";
        dp = 0;
      } else {
        bd = bd.stripTrailingZeros();
        digits = bd.unscaledValue().toString();
        dp = digits.length() - bd.scale();
      }
    }
    int nd = digits.length();
    if (neg) {
      b.append('-');
    } else if (plusSign) {
      b.append('+');
    }
    if (shortest) {
      switch (fmt) {
        case 'e', 'E' -> prec = Math.max(nd - 1, 0);
        case 'f', 'F' -> prec = Math.max(nd - dp, 0);
        default -> prec = nd;
      }
    }
    switch (fmt) {
      case 'e', 'E' -> fmtE(b, digits, dp, prec, fmt);
      case 'f', 'F' -> fmtF(b, digits, dp, prec);
      default -> {
        if (!shortest && prec == 0) prec = 1;
        int eprec = prec;
        if (eprec > nd && nd >= dp) eprec = nd;
        if (shortest) eprec = 6;
        int exp = dp - 1;
        if (exp < -4 || exp >= eprec) {
          if (prec > nd) prec = nd;
          fmtE(b, digits, dp, prec - 1, fmt == 'G' ? 'E' : 'e');
        } else {
          if (prec > dp) prec = nd;
          fmtF(b, digits, dp, Math.max(prec - dp, 0));
        }
      }
    }
  }

  /** The %v / shortest form of a float. */
  static String shortest(double d) {
    StringBuilder b = new StringBuilder();
    append(b, d, 'g', -1, false);
    return b.toString();
  }

  private static void fmtE(StringBuilder b, String d, int dp, int prec, char fmt) {
    int nd = d.length();
    b.append(nd == 0 ? '0' : d.charAt(0));
    if (prec > 0) {
      b.append('.');
      int i = 1;
      int m = Math.min(nd, prec + 1);
      if (i < m) {
        b.append(d, i, m);
        i = m;
      }
      for (; i <= prec; i++) b.append('0');
    }
    b.append(fmt);
    int exp = nd == 0 ? 0 : dp - 1;
    if (exp < 0) {
      b.append('-');
      exp = -exp;
    } else {
      b.append('+');
    }
    if (exp < 10) b.append('0');
    b.append(exp);
  }

  private static void fmtF(StringBuilder b, String d, int dp, int prec) {
    int nd = d.length();
    if (dp > 0) {
      int m = Math.min(nd, dp);
      b.append(d, 0, m);
      for (; m < dp; m++) b.append('0');
    } else {
      b.append('0');
    }
    if (prec > 0) {
      b.append('.');
      for (int i = 1; i <= prec; i++) {
        int j = dp + i - 1;
        b.append(j >= 0 && j < nd ? d.charAt(j) : '0');
      }
    }
  }
}
