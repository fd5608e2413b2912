package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ChunkKeysTest {
  @Property(tries = 300)
  void keysParseBackToTheirParts(
      @ForAll @AlphaChars @NumericChars @Chars({'-', '_', '.', '!', '*', '(', ')'}) @StringLength(min = 3, max = 40) String tenant,
      @ForAll long hash, @ForAll long from, @ForAll long through, @ForAll int crc) {
    String key = ChunkKeys.key(tenant, hash, from, through, crc);
    assertThat(key).startsWith(ChunkKeys.streamPrefix(tenant, hash)).startsWith(ChunkKeys.tenantPrefix(tenant));
    assertThat(ChunkKeys.parse(key)).isEqualTo(new ChunkKey(tenant, hash, from, through, crc));
    assertThat(ChunkKeys.parse(key).toKey()).isEqualTo(key);
  }

  @Property(tries = 100)
  void keysOfOneStreamSortByStartTime(@ForAll long a, @ForAll long b) {
    long x = Math.abs(a >> 1), y = Math.abs(b >> 1);
    String kx = ChunkKeys.key("t", 5, x, x + 1, 0), ky = ChunkKeys.key("t", 5, y, y + 1, 0);
    assertThat(Integer.signum(kx.compareTo(ky))).isEqualTo(Long.signum(x - y) == 0 ? 0 : Long.signum(Long.compare(x, y)));
  }

  @Test
  void aRealChunkGetsAKeyFromItsHeader() {
    LabelSet labels = LabelSet.of("app", "web");
    BlockBuilder b = new BlockBuilder();
    b.append(LogEntry.of(1_000, "a"));
    b.append(LogEntry.of(2_000, "b"));
    byte[] chunk = ChunkWriter.write("fake", labels, List.of(b.encode()));
    ChunkHeader h = ChunkReader.open(chunk, null).header();
    String key = ChunkKeys.key(h.tenant(), h.labels().hash(), h.minTimestamp(), h.maxTimestamp(), h.checksum());
    assertThat(ChunkKeys.keyOf(h)).isEqualTo(key);
    assertThat(key).matches("fake/chunks/[0-9a-f]{16}/00000000000003e8-00000000000007d0-[0-9a-f]{8}");
    assertThat(ChunkKeys.parse(key).checksum()).isEqualTo(ChunkWriter.checksum(chunk));
  }

  @Test
  void malformedKeysAreRejectedWithTheReason() {
    String good = ChunkKeys.key("t", 1, 2, 3, 4);
    assertThatThrownBy(() -> ChunkKeys.parse("t/index/x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("t/index/x");
    assertThatThrownBy(() -> ChunkKeys.parse(good + "0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkKeys.parse(good.replace('1', 'g'))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-hex");
    String hexy = ChunkKeys.key("t", 0xABCDEFL, 2, 3, 4);
    assertThat(hexy).contains("abcdef");
    assertThatThrownBy(() -> ChunkKeys.parse(hexy.replace("abcdef", "ABCDEF"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkKeys.parse("/chunks/" + good.substring(9))).isInstanceOf(IllegalArgumentException.class);
    for (String bad : new String[] {"", ".", "..", "a/b"}) {
      assertThatThrownBy(() -> ChunkKeys.key(bad, 1, 2, 3, 4)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
