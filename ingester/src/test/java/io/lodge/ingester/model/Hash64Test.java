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

  @Property
  void lowerAsciiHashEqualsTheHashOfALowerCasedCopy(@ForAll byte[] data, @ForAll byte prefix) {
    byte[] padded = new byte[data.length + 2];
    padded[0] = prefix;
    System.arraycopy(data, 0, padded, 1, data.length);
    assertThat(Hash64.xxh64LowerAscii(padded, 1, data.length)).isEqualTo(Hash64.xxh64(lowerCopy(data, 0, data.length)));
  }

  @Test
  void lowerAsciiHashFoldsEveryLetterAtEveryLengthAndOffset() {
    // letters of both cases, digits, punctuation around the letters, bytes >= 0x80: each length crosses
    // the 32-byte stripes, the 8-byte words, the 4-byte lane and the single bytes at some offset
    byte[] mixed = "Ab@[`{Zz09 \u00e9\u00c9QUICK brown FOX jumps OVER the lazy DOG 0123456789 ~^_|"
        .getBytes(StandardCharsets.UTF_8);
    for (int off = 0; off < 8; off++) {
      for (int len = 0; off + len <= mixed.length; len++) {
        assertThat(Hash64.xxh64LowerAscii(mixed, off, len)).as("offset %d, length %d", off, len)
            .isEqualTo(Hash64.xxh64(lowerCopy(mixed, off, len)));
      }
    }
    assertThat(Hash64.xxh64LowerAscii("ABC".getBytes(StandardCharsets.UTF_8), 0, 3)).isEqualTo(h("abc"));
  }

  @Test
  void lowerAsciiChangesOnlyUpperCaseLettersWhateverTheirNeighbours() {
    long[] neighbours = {0, 0x4040404040404040L, 0x5B5B5B5B5B5B5B5BL, 0x4141414141414141L, 0x8080808080808080L,
        0xC1C1C1C1C1C1C1C1L, 0xDADADADADADADADAL, 0xFFFFFFFFFFFFFFFFL};
    for (long around : neighbours) {
      for (int c = 0; c < 256; c++) {
        for (int at = 0; at < 64; at += 8) {
          long w = around & ~(0xFFL << at) | (long) c << at;
          assertThat(Hash64.lowerAscii(w)).as("byte 0x%02x at bit %d among 0x%016x", c, at, around)
              .isEqualTo(lowerBytewise(w));
        }
      }
    }
  }

  @Property
  void lowerAsciiOfAnyWordIsItsBytewiseLowerCase(@ForAll long w) {
    assertThat(Hash64.lowerAscii(w)).isEqualTo(lowerBytewise(w));
  }

  private static byte[] lowerCopy(byte[] b, int off, int len) {
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      byte c = b[off + i];
      out[i] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }
    return out;
  }

  private static long lowerBytewise(long w) {
    long out = 0;
    for (int at = 0; at < 64; at += 8) {
      long c = w >>> at & 0xFF;
      out |= (c >= 'A' && c <= 'Z' ? c + 32 : c) << at;
    }
    return out;
  }
}
