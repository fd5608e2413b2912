package io.lodge.querier.api;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code /detected_labels} (LOKI-COMPAT 2.10): stream labels with their distinct-value counts, without
 * labels whose every value is a number or a UUID (ids, not dimensions to browse by), except
 * {@code cluster}, {@code namespace}, {@code instance} and {@code pod}, which are always kept.
 */
public final class DetectedLabels {
  private static final Set<String> ALWAYS = Set.of("cluster", "namespace", "instance", "pod");
  private static final Pattern NUMBER = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private DetectedLabels() {}

  /** {@code {"detectedLabels":[{"label":..,"cardinality":..}]}} sorted by label, or {@code {}}. */
  public static byte[] render(List<LabelSet> series) {
    Map<String, Set<String>> values = new TreeMap<>();
    for (LabelSet s : series) {
      for (Label l : s.labels()) values.computeIfAbsent(l.name(), k -> new HashSet<>()).add(l.value());
    }
    values.entrySet().removeIf(e -> e.getKey().startsWith("__")
        || (!ALWAYS.contains(e.getKey()) && e.getValue().stream().allMatch(DetectedLabels::isNumberOrUuid)));
    return DetectedFields.render(g -> {
      if (values.isEmpty()) return;
      g.writeArrayFieldStart("detectedLabels");
      for (Map.Entry<String, Set<String>> e : values.entrySet()) {
        g.writeStartObject();
        g.writeStringField("label", e.getKey());
        g.writeNumberField("cardinality", e.getValue().size());
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  static boolean isNumberOrUuid(String v) {
    return NUMBER.matcher(v).matches() || UUID.matcher(v).matches();
  }
}
