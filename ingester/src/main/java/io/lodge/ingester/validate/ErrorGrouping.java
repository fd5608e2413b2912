package io.lodge.ingester.validate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loki's grouping of validation failures into one 400 body (LOKI-COMPAT 1.7): a single failure is the
 * message alone; otherwise each distinct message becomes {@code N errors like: <msg>} and the groups are
 * joined with {@code "; "}. Loki's group order is random; Lodge uses first-occurrence order.
 */
public final class ErrorGrouping {
  private ErrorGrouping() {}

  /** The grouped text of {@code messages} (empty string for no messages). */
  public static String format(List<String> messages) {
    if (messages.isEmpty()) return "";
    if (messages.size() == 1) return messages.get(0);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String m : messages) counts.merge(m, 1, Integer::sum);
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (!sb.isEmpty()) sb.append("; ");
      sb.append(e.getValue()).append(" errors like: ").append(e.getKey());
    }
    return sb.toString();
  }
}
