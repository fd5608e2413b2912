package io.lodge.ingester.head;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anonymous memory mapped for line page slabs in transparent huge pages and made resident in one system
 * call ({@code mmap}, then {@code madvise} with {@code MADV_HUGEPAGE} and {@code MADV_POPULATE_WRITE}).
 *
 * <p>Why: a WAL replay fills hundreds of MB of new memory, and on a VM whose page faults trap to the
 * hypervisor the 4 KiB faults that {@code ByteBuffer.allocateDirect} takes while it zeroes cost 2.5 s per
 * 768 MiB; 2 MiB pages populated by the kernel took 1.6-1.7 s, and 0.3-0.9 s when the memory had been
 * freed by another process moments before, as on a restart (BENCHMARKS.md, twenty-fifth wave). The JDK
 * offers no {@code madvise}, so this links libc's through the foreign function API, final from Java 22
 * on; Lodge compiles for 21, so it is reached by reflection, and where it is missing (Java 21, native
 * access not enabled, not Linux) {@link #map} returns null and slabs come from {@code allocateDirect} as
 * before. Linking costs ~0.1 s of CPU, paid on first use by the thread that prefetches slabs during a big
 * replay, never on the way to ready with an empty WAL. The mapped memory is outside the JVM's direct
 * memory count; {@link LinePages}' own off-heap limit bounds it.
 *
 * <p>The memory is never unmapped: line page slabs live as long as the process (see {@link LinePages}).
 */
final class ResidentMemory {
  private static final Logger log = LoggerFactory.getLogger(ResidentMemory.class);
  /** The size and alignment of a transparent huge page on x86-64 and aarch64 Linux. */
  static final long HUGE_PAGE = 2L << 20;
  private static final int PROT_READ_WRITE = 0x1 | 0x2;
  private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
  private static final int MADV_HUGEPAGE = 14;
  /** Linux 5.14+; older kernels answer EINVAL and the pages are touched from Java instead. */
  private static final int MADV_POPULATE_WRITE = 23;
  private static final long MAP_FAILED = -1L;

  private static final Linked LINKED = link();

  private ResidentMemory() {}

  /** libc's mmap and madvise as method handles, and the way from an address to a ByteBuffer. */
  private record Linked(MethodHandle mmap, MethodHandle madvise, Method ofAddress, Method reinterpret, Method asByteBuffer) {}

  /** True when {@link #map} can map memory here. */
  static boolean available() {
    return LINKED != null;
  }

  /**
   * {@code bytes} (a multiple of 4 KiB) of zeroed memory, resident, in huge pages where the kernel gives
   * them; null (logged) when this JVM cannot map it or the kernel refused.
   */
  static ByteBuffer map(long bytes) {
    Linked l = LINKED;
    if (l == null) return null;
    if (bytes <= 0 || bytes % 4096 != 0 || bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("resident memory must be a positive multiple of 4 KiB under 2 GiB, got " + bytes);
    }
    try {
      // one huge page more than asked, so that the buffer can start on a 2 MiB boundary
      long mapped = (long) l.mmap().invokeExact(0L, bytes + HUGE_PAGE, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
      if (mapped == MAP_FAILED) {
        log.atWarn().addKeyValue("bytes", bytes).log("mmap refused memory for line page slabs; using direct buffers");
        return null;
      }
      long start = (mapped + HUGE_PAGE - 1) & -HUGE_PAGE;
      int hugeAdvised = (int) l.madvise().invokeExact(start, bytes, MADV_HUGEPAGE); // -1 where THP is off: small pages then
      ByteBuffer buffer = (ByteBuffer) l.asByteBuffer().invoke(l.reinterpret().invoke(l.ofAddress().invoke(null, start), bytes));
      int populated = (int) l.madvise().invokeExact(start, bytes, MADV_POPULATE_WRITE);
      if (populated != 0) {
        for (int i = 0; i < bytes; i += 4096) buffer.put(i, (byte) 0); // fault it in here, not on the appending thread
      }
      log.atDebug().addKeyValue("bytes", bytes).addKeyValue("huge_pages", hugeAdvised == 0)
          .addKeyValue("populated", populated == 0).log("mapped resident memory for line page slabs");
      return buffer;
    } catch (Error e) {
      throw e;
    } catch (Throwable e) { // invokeExact declares Throwable; reflective calls wrap what they throw
      log.atWarn().addKeyValue("bytes", bytes).addKeyValue("err", e.toString()).setCause(e)
          .log("mapping memory for line page slabs failed; using direct buffers");
      return null;
    }
  }

  /** Links mmap and madvise, or null where the foreign function API is not usable here (logged when it should have been). */
  private static Linked link() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) return null;
    String arch = System.getProperty("os.arch", "");
    if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) return null;
    if (Runtime.version().feature() < 22) return null;
    try {
      Module module = ResidentMemory.class.getModule();
      if (!(boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(module)) {
        log.atDebug().log("native access is not enabled (--enable-native-access): line page slabs stay direct buffers");
        return null;
      }
      Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
      Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
      Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
      Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
      Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
      Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
      Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
      Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
      Object libc = linkerClass.getMethod("defaultLookup").invoke(linker);
      Method find = lookupClass.getMethod("find", String.class);
      Method of = descriptorClass.getMethod("of", layoutClass, layoutClass.arrayType());
      Method downcall = linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass, optionClass.arrayType());
      Object jLong = valueLayoutClass.getField("JAVA_LONG").get(null);
      Object jInt = valueLayoutClass.getField("JAVA_INT").get(null);
      Object noOptions = Array.newInstance(optionClass, 0);
      // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset): pointers and sizes as longs (64-bit only)
      Object mmapDescriptor = of.invoke(null, jLong, layouts(layoutClass, jLong, jLong, jInt, jInt, jInt, jLong));
      // int madvise(void *addr, size_t length, int advice)
      Object madviseDescriptor = of.invoke(null, jInt, layouts(layoutClass, jLong, jLong, jInt));
      MethodHandle mmap = (MethodHandle) downcall.invoke(linker, symbol(find, libc, "mmap"), mmapDescriptor, noOptions);
      MethodHandle madvise = (MethodHandle) downcall.invoke(linker, symbol(find, libc, "madvise"), madviseDescriptor, noOptions);
      return new Linked(mmap, madvise, segmentClass.getMethod("ofAddress", long.class),
          segmentClass.getMethod("reinterpret", long.class), segmentClass.getMethod("asByteBuffer"));
    } catch (ReflectiveOperationException | RuntimeException e) {
      Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
      log.atInfo().addKeyValue("err", cause.toString()).log("cannot link mmap and madvise: line page slabs stay direct buffers");
      return null;
    }
  }

  private static Object symbol(Method find, Object libc, String name) throws ReflectiveOperationException {
    Optional<?> found = (Optional<?>) find.invoke(libc, name);
    return found.orElseThrow(() -> new NoSuchMethodException("libc has no " + name));
  }

  private static Object layouts(Class<?> layoutClass, Object... layouts) {
    Object array = Array.newInstance(layoutClass, layouts.length);
    for (int i = 0; i < layouts.length; i++) Array.set(array, i, layouts[i]);
    return array;
  }
}
