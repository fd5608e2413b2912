package io.lodge.ingester.push;

import io.lodge.config.LimitsConfig;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/** LimitsConfig variants for tests (the record has no withers). */
final class TestLimits {
  private TestLimits() {}

  /** Loki's defaults with {@code discover_service_name} replaced. */
  static LimitsConfig withServiceNameLabels(List<String> labels) {
    LimitsConfig d = LimitsConfig.defaults();
    try {
      RecordComponent[] rc = LimitsConfig.class.getRecordComponents();
      Object[] args = new Object[rc.length];
      for (int i = 0; i < rc.length; i++) {
        args[i] = rc[i].getName().equals("discoverServiceName") ? labels : rc[i].getAccessor().invoke(d);
      }
      Class<?>[] types = Arrays.stream(rc).map(RecordComponent::getType).toArray(Class<?>[]::new);
      return LimitsConfig.class.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Discovery off: decoded streams keep exactly their labels. */
  static LimitsConfig noDiscovery() {
    return withServiceNameLabels(List.of());
  }
}
