package io.lodge.ingester.head;

import io.lodge.ingester.model.LabelSet;
import java.util.HashMap;
import java.util.Map;

/** Flush marks by (tenant, stream), consulted while replaying the WAL; empty when running live. */
public final class ReplayMarks {
  private static final ReplayMarks NONE = new ReplayMarks(Map.of());
  private final Map<String, StreamMark> marks;

  public ReplayMarks(Map<String, StreamMark> marksByKey) {
    this.marks = new HashMap<>(marksByKey);
  }

  public static ReplayMarks none() {
    return NONE;
  }

  /** The key a mark is stored under: the tenant and the canonical labels. */
  public static String key(String tenant, LabelSet labels) {
    return tenant + '\u0000' + labels.canonical();
  }

  StreamMark get(String tenant, LabelSet labels) {
    return marks.isEmpty() ? null : marks.get(key(tenant, labels));
  }

  public Map<String, StreamMark> asMap() {
    return Map.copyOf(marks);
  }
}
