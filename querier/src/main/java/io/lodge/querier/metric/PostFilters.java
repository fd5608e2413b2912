package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.ast.BinaryLabelFilter;
import io.lodge.querier.logql.ast.BytesLabelFilter;
import io.lodge.querier.logql.ast.DurationLabelFilter;
import io.lodge.querier.logql.ast.IpLabelFilter;
import io.lodge.querier.logql.ast.LabelFilterExpr;
import io.lodge.querier.logql.ast.NumericLabelFilter;
import io.lodge.querier.logql.ast.StringLabelFilter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The label filters written after {@code unwrap} (LOKI-COMPAT 3.6, 3.9, 3.11), evaluated on one
 * sample's labels. Like Loki: once a sample carries {@code __error__} only string matchers filter it;
 * a numeric, duration or bytes filter on a missing label drops the sample and on an unparsable value
 * keeps it with {@code __error__=LabelFilterErr}.
 */
final class PostFilters {
  static final String ERROR = "__error__";
  static final String ERROR_DETAILS = "__error_details__";

  private final List<LabelFilterExpr> filters;
  private LabelSet labels;

  PostFilters(List<LabelFilterExpr> filters) {
    this.filters = List.copyOf(filters);
  }

  boolean isEmpty() {
    return filters.isEmpty();
  }

  /**
   * Whether every filter is a string matcher on {@code __error__} (such as the usual
   * {@code | __error__=""}): on a sample without an error they then pass or drop it whatever its other
   * labels, and change no label.
   */
  boolean onlyErrorMatchers() {
    return filters.stream().allMatch(PostFilters::onlyErrorMatchers);
  }

  private static boolean onlyErrorMatchers(LabelFilterExpr f) {
    return switch (f) {
      case StringLabelFilter s -> s.matcher().name().equals(ERROR);
      case BinaryLabelFilter b -> onlyErrorMatchers(b.left()) && onlyErrorMatchers(b.right());
      default -> false;
    };
  }

  /** The labels after every filter passed (errors added), or null when a filter drops the sample. */
  LabelSet apply(LabelSet in) {
    labels = in;
    for (LabelFilterExpr f : filters) {
      if (!test(f)) return null;
    }
    return labels;
  }

  private boolean test(LabelFilterExpr f) {
    return switch (f) {
      case StringLabelFilter s -> {
        String v = labels.get(s.matcher().name());
        yield s.matcher().matches(v == null ? "" : v);
      }
      case BinaryLabelFilter b -> b.and() ? test(b.left()) && test(b.right()) : test(b.left()) || test(b.right());
      case NumericLabelFilter n -> typed(n.name(), v -> n.op().test(GoNumbers.parseFloat(v), n.value()));
      case DurationLabelFilter d ->
          typed(d.name(), v -> d.op().test(GoNumbers.parseDurationNanos(v), d.nanos()));
      case BytesLabelFilter b -> typed(b.name(), v -> b.op().test(GoNumbers.parseBytes(v), b.bytes()));
      case IpLabelFilter ip -> {
        if (labels.has(ERROR)) yield true;
        String v = labels.get(ip.name());
        if (v == null) yield false;
        yield ipMatches(ip.pattern(), v) != ip.negated();
      }
    };
  }

  private interface Check {
    boolean test(String value) throws GoNumbers.NumberFormatError;
  }

  private boolean typed(String name, Check check) {
    if (labels.has(ERROR)) return true;
    String v = labels.get(name);
    if (v == null) return false;
    try {
      return check.test(v);
    } catch (GoNumbers.NumberFormatError e) {
      labels = labels.with(ERROR, "LabelFilterErr").with(ERROR_DETAILS, e.getMessage());
      return true;
    }
  }

  /** {@code ip("...")}: a single address, a CIDR prefix or an inclusive {@code a-b} range. */
  static boolean ipMatches(String pattern, String value) {
    BigInteger v = ip(value);
    if (v == null) return false;
    int dash = pattern.indexOf('-');
    if (dash > 0) {
      BigInteger lo = ip(pattern.substring(0, dash).trim());
      BigInteger hi = ip(pattern.substring(dash + 1).trim());
      return lo != null && hi != null && v.compareTo(lo) >= 0 && v.compareTo(hi) <= 0;
    }
    int slash = pattern.indexOf('/');
    if (slash > 0) {
      BigInteger net = ip(pattern.substring(0, slash));
      int bits = Integer.parseInt(pattern.substring(slash + 1));
      int width = pattern.indexOf(':') >= 0 ? 128 : 32;
      if (net == null || (value.indexOf(':') >= 0) != (width == 128)) return false;
      return v.shiftRight(width - bits).equals(net.shiftRight(width - bits));
    }
    BigInteger p = ip(pattern);
    return p != null && p.equals(v);
  }

  private static BigInteger ip(String s) {
    if (s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) return null;
    try {
      return new BigInteger(1, InetAddress.getByName(s).getAddress());
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
