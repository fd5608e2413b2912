package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ColumnCodecTest {
  private static byte[] compress(byte[] raw) {
    ByteSink out = new ByteSink(16);
    new ZstdColumnCodec(3).encode(raw, 0, raw.length, out);
    return out.toByteArray();
  }

  @Test
  void zstdRoundTripsAtAnOffsetAndRejectsEveryKindOfBadFrame() {
    byte[] raw = "GET /api/v1/push 204 GET /api/v1/push 204 GET /api/v1/query 200".repeat(50).getBytes();
    byte[] z = compress(raw);
    byte[] padded = new byte[z.length + 10];
    System.arraycopy(z, 0, padded, 5, z.length);
    byte[] dst = new byte[raw.length + 3];
    ZstdColumnCodec.forDecoding().decode(padded, 5, z.length, dst, 3, raw.length, 0, "k");
    assertThat(Arrays.copyOfRange(dst, 3, dst.length)).isEqualTo(raw);

    Random rnd = new Random(3);
    for (int i = 0; i < 200; i++) {
      byte[] bad = z.clone();
      int len = bad.length;
      switch (i % 4) {
        case 0 -> bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
        case 1 -> len = rnd.nextInt(bad.length);
        case 2 -> rnd.nextBytes(bad);
        default -> { }
      }
      int rawLen = i % 4 == 3 ? raw.length - 1 - rnd.nextInt(10) : raw.length;
      byte[] out = new byte[raw.length];
      byte[] src = bad;
      int n = len;
      try {
        ZstdColumnCodec.forDecoding().decode(src, 0, n, out, 0, rawLen, 100, "k");
        // a flip zstd cannot see (no frame checksum) may decode; the block CRC catches those
      } catch (ChunkFormatException e) {
        assertThat(e.getMessage()).startsWith("chunk k: bad zstd column at offset 100: expected ");
      }
    }
    // contexts that saw failures still work
    ZstdColumnCodec.forDecoding().decode(z, 0, z.length, dst, 0, raw.length, 0, "k");
    assertThat(Arrays.copyOf(dst, raw.length)).isEqualTo(raw);
  }

  @Test
  void aTooSmallDeclaredRawLengthFails() {
    byte[] raw = new byte[1000];
    byte[] z = compress(raw);
    assertThatThrownBy(() -> ZstdColumnCodec.forDecoding().decode(z, 0, z.length, new byte[999], 0, 999, 0, null))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("zstd column");
    assertThatThrownBy(() -> ZstdColumnCodec.forDecoding().decode(z, 0, z.length, new byte[2000], 0, 2000, 0, null))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("2000 decompressed bytes");
  }

  @Test
  void rawCodecChecksTheLengthAndUnknownIdsFail() {
    assertThatThrownBy(() -> RawColumnCodec.INSTANCE.decode(new byte[4], 0, 4, new byte[5], 0, 5, 7, "k"))
        .isInstanceOf(ChunkFormatException.class).hasMessage("chunk k: bad raw column length at offset 7: expected 5, got 4");
    assertThatThrownBy(() -> ColumnCodec.byId(9, 1, null)).isInstanceOf(ChunkFormatException.class)
        .hasMessageContaining("got 9");
    assertThatThrownBy(() -> new ZstdColumnCodec(99)).isInstanceOf(IllegalArgumentException.class);
  }
}
