package io.lodge.querier.template;

import io.lodge.querier.template.GoValues.Int64;
import io.lodge.querier.template.TemplateFunction.GoType;

/**
 * The {@code time.Time} methods a template can call on {@code __timestamp__}, {@code now} or a
 * parsed date, e.g. {@code {{ (__timestamp__).Unix }}} or {@code {{ (now).Format "15:04" }}}.
 * {@code Month} and {@code Weekday} return their names (Go prints those types by name).
 */
final class TimeMethods {
  private TimeMethods() {}

  private static final GoType[] NONE = new GoType[0];

  /** The method {@code name} bound to {@code t}, or null if time.Time has no such method. */
  static TemplateFunction get(String name, GoTime t) {
    return switch (name) {
      case "Unix" -> of(name, () -> new Int64(t.unix()));
      case "UnixMilli" -> of(name, () -> new Int64(t.unixMilli()));
      case "UnixMicro" -> of(name, () -> new Int64(t.unix() * 1_000_000L + t.nano() / 1000));
      case "UnixNano" -> of(name, () -> new Int64(t.unixNano()));
      case "Year" -> of(name, () -> (long) t.dateTime().getYear());
      case "Month" -> of(name, () -> t.dateTime().getMonth().getDisplayName(
          java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH));
      case "Day" -> of(name, () -> (long) t.dateTime().getDayOfMonth());
      case "Weekday" -> of(name, () -> t.dateTime().getDayOfWeek().getDisplayName(
          java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH));
      case "YearDay" -> of(name, () -> (long) t.dateTime().getDayOfYear());
      case "Hour" -> of(name, () -> (long) t.dateTime().getHour());
      case "Minute" -> of(name, () -> (long) t.dateTime().getMinute());
      case "Second" -> of(name, () -> (long) t.dateTime().getSecond());
      case "Nanosecond" -> of(name, () -> (long) t.nano());
      case "UTC" -> of(name, () -> t.in(GoTime.UTC));
      case "Local" -> of(name, () -> t.in(GoTime.localZone()));
      case "String" -> of(name, t::toString);
      case "IsZero" -> of(name, () -> t.epochSecond() == GoTime.zero().epochSecond() && t.nano() == 0);
      case "Format" -> new TemplateFunction(name, new GoType[] {GoType.STRING}, null, (a, e) -> {
        StringBuilder b = new StringBuilder();
        GoTimeLayout.format(b, t, (String) a[0]);
        return b.toString();
      });
      default -> null;
    };
  }

  private interface Getter {
    Object get();
  }

  private static TemplateFunction of(String name, Getter g) {
    return new TemplateFunction(name, NONE, null, (a, e) -> g.get());
  }
}
