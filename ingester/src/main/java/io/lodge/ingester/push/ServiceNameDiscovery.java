package io.lodge.ingester.push;

import io.lodge.ingester.model.LabelSet;
import java.util.List;

/**
 * Loki's {@code service_name} discovery (LOKI-COMPAT 1.6 item 1, limit {@code discover_service_name}):
 * a stream without {@code service_name} gets one, valued from the first label of the configured list the
 * stream has, else {@code unknown_service}. Streams carrying {@code __aggregated_metric__} are exempt, and
 * an empty list turns discovery off. Runs while decoding, before validation.
 */
public final class ServiceNameDiscovery {
  /** The label Loki adds. */
  public static final String SERVICE_NAME = "service_name";
  /** Its value when no listed label is present. */
  public static final String UNKNOWN_SERVICE = "unknown_service";
  /** Loki's marker label for its own aggregated-metric streams. */
  public static final String AGGREGATED_METRIC = "__aggregated_metric__";

  private final String[] sources;

  /** {@code sources}: label names in priority order, e.g. {@code LimitsConfig.discoverServiceName()}. */
  public ServiceNameDiscovery(List<String> sources) {
    this.sources = sources.toArray(new String[0]);
  }

  /** True when the list is empty and {@link #apply} returns its input. */
  public boolean disabled() {
    return sources.length == 0;
  }

  /** The labels with {@code service_name} added where Loki adds it (the input itself otherwise). */
  public LabelSet apply(LabelSet labels) {
    if (sources.length == 0 || labels.has(SERVICE_NAME) || labels.has(AGGREGATED_METRIC)) return labels;
    String value = UNKNOWN_SERVICE;
    for (String name : sources) {
      String v = labels.get(name);
      if (v != null && !v.isEmpty()) {
        value = v;
        break;
      }
    }
    return labels.with(SERVICE_NAME, value);
  }
}
