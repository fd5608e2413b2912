package io.lodge.ingester.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Hash64Test {
  private static long h(String s) {
    return Hash64.xxh64(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void matchesReferenceVectors() {
    // reference values of XXH64 with seed 0 (xxhsum -H64)
    assertThat(h("")).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(h("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(h("abc")).isEqualTo(0x44BC2CF5AD770999L);
    assertThat(h("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
  }

  @Property
  void sliceHashEqualsCopyHash(@ForAll byte[] data, @ForAll byte prefix) {
    byte[] padded = new byte[data.length + 3];
    padded[0] = prefix;
    System.arraycopy(data, 0, padded, 1, data.length);
    assertThat(Hash64.xxh64(padded, 1, data.length)).isEqualTo(Hash64.xxh64(data));
  }
}
