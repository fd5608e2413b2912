package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Memory mapped for line page slabs through libc's mmap and madvise: available wherever the tests run
 * (Linux, Java 22+, native access enabled by server/jvm.options), zeroed, writable to its last byte, and
 * of exactly the size asked.
 */
class ResidentMemoryTest {
  @Test
  void isLinkedOnLinuxWithJava22AndNativeAccess() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && Runtime.version().feature() >= 22,
        "the foreign function API and Linux's madvise are needed");
    assertThat(ResidentMemory.available()).as("jvm.options enables native access for the tests").isTrue();
  }

  @Test
  void mapsZeroedWritableMemoryOfTheSizeAsked() {
    assumeTrue(ResidentMemory.available());
    int bytes = 3 << 20; // not a whole number of huge pages: the tail is in small pages
    ByteBuffer memory = ResidentMemory.map(bytes);
    assertThat(memory).isNotNull();
    assertThat(memory.isDirect()).isTrue();
    assertThat(memory.capacity()).isEqualTo(bytes);
    for (int i = 0; i < bytes; i += 4096) assertThat(memory.get(i)).isZero();
    memory.putLong(0, 0x0123456789abcdefL);
    memory.putLong(bytes - 8, -1L);
    assertThat(memory.getLong(0)).isEqualTo(0x0123456789abcdefL);
    assertThat(memory.getLong(bytes - 8)).isEqualTo(-1L);
    ByteBuffer other = ResidentMemory.map(1 << 20);
    other.put(0, (byte) 7);
    assertThat(memory.get(0)).as("a second mapping is memory of its own").isEqualTo((byte) 0x01); // the long's first byte, big-endian
  }

  @Test
  void refusesSizesThatAreNotWholePages() {
    assumeTrue(ResidentMemory.available());
    assertThatThrownBy(() -> ResidentMemory.map(5000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5000");
    assertThatThrownBy(() -> ResidentMemory.map(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
