package io.lodge.ingester;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** The JVM's cap on direct buffers ({@code -XX:MaxDirectMemorySize}; by default the maximum heap). */
final class DirectMemory {
  private DirectMemory() {}

  /** Bytes of direct buffers this JVM allows in all. */
  static long max() {
    String option = null;
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot != null) {
      try {
        option = hotspot.getVMOption("MaxDirectMemorySize").getValue();
      } catch (IllegalArgumentException notHotSpot) {
        option = null; // a JVM without the flag: the JDK's own default applies
      }
    }
    return fromOption(option, Runtime.getRuntime().maxMemory());
  }

  /** The cap for the flag's value ({@code "0"} or absent: the JDK's default, the maximum heap). */
  static long fromOption(String value, long maxHeap) {
    if (value == null || value.isBlank()) return maxHeap;
    long bytes = Long.parseLong(value.trim());
    return bytes > 0 ? bytes : maxHeap;
  }
}
