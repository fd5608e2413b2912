package io.lodge.ingester.validate;

import io.lodge.config.LimitsConfig;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/** Loki's default limits with some fields replaced by name (the record's component names). */
final class TestLimits {
  private TestLimits() {}

  static LimitsConfig with(Map<String, Object> overrides) {
    LimitsConfig d = LimitsConfig.defaults();
    RecordComponent[] comps = LimitsConfig.class.getRecordComponents();
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    int used = 0;
    try {
      for (int i = 0; i < comps.length; i++) {
        types[i] = comps[i].getType();
        String name = comps[i].getName();
        if (overrides.containsKey(name)) {
          args[i] = overrides.get(name);
          used++;
        } else {
          args[i] = comps[i].getAccessor().invoke(d);
        }
      }
      if (used != overrides.size()) throw new IllegalArgumentException("unknown limit in " + overrides.keySet());
      return LimitsConfig.class.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static LimitsConfig with(String name, Object value) {
    return with(Map.of(name, value));
  }
}
