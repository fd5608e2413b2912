package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPackTest {
  private static final String KEY = "t/packs/0000000000000001-00000002";

  /** Three chunks of different streams and sizes. */
  private static List<byte[]> chunks() {
    List<byte[]> chunks = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      List<LogEntry> entries = new ArrayList<>();
      for (int i = 0; i < 10 + 40 * c; i++) entries.add(LogEntry.of(1_000L + i, "stream " + c + " line " + i));
      chunks.add(ChunkRoundTripTest.chunkOf("t", LabelSet.of("app", "a" + c), entries, 16));
    }
    return chunks;
  }

  private static byte[] pack(List<byte[]> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] c : chunks) out.writeBytes(c);
    out.writeBytes(ChunkPack.footer(chunks));
    return out.toByteArray();
  }

  @Test
  void theFooterListsEveryChunkAndEachReadsBackFromItsRange() {
    List<byte[]> chunks = chunks();
    byte[] pack = pack(chunks);

    List<ChunkPack.Entry> entries = ChunkPack.entries(pack, KEY);

    assertThat(entries).hasSize(3);
    long offset = 0;
    for (int i = 0; i < 3; i++) {
      ChunkPack.Entry e = entries.get(i);
      assertThat(e.offset()).isEqualTo(offset);
      assertThat(e.length()).isEqualTo(chunks.get(i).length);
      assertThat(e.checksum()).isEqualTo(ChunkWriter.checksum(chunks.get(i)));
      byte[] chunk = Arrays.copyOfRange(pack, (int) e.offset(), (int) e.offset() + e.length());
      assertThat(ChunkReader.open(chunk, KEY).header().labels()).isEqualTo(LabelSet.of("app", "a" + i));
      offset += e.length();
    }
  }

  @Test
  void aFlippedBitInTheFooterIsCaughtByItsChecksum() {
    byte[] pack = pack(chunks());
    int footer = pack.length - (8 * 3 + 12);
    for (int at = footer; at < pack.length - 8; at++) {
      byte[] bad = pack.clone();
      bad[at] ^= 0x10;
      int flipped = at;
      assertThatThrownBy(() -> ChunkPack.entries(bad, KEY)).as("bit flipped at %d", flipped)
          .isInstanceOf(ChunkFormatException.class).hasMessageContaining(KEY);
    }
  }

  @Test
  void aTruncatedOrForeignObjectIsNoPack() {
    byte[] pack = pack(chunks());
    assertThatThrownBy(() -> ChunkPack.entries(Arrays.copyOf(pack, pack.length - 1), KEY))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("pack magic");
    assertThatThrownBy(() -> ChunkPack.entries(new byte[5], KEY))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("pack length");
    // a lone chunk (the layout before packs) is not a pack either
    assertThatThrownBy(() -> ChunkPack.entries(chunks().get(0), KEY))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("pack magic");
    // a byte lost or gained before the footer: its lengths no longer account for the chunk bytes
    byte[] shorter = Arrays.copyOfRange(pack, 1, pack.length);
    assertThatThrownBy(() -> ChunkPack.entries(shorter, KEY))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("pack entry 2 length");
    byte[] longer = new byte[pack.length + 1];
    System.arraycopy(pack, 0, longer, 1, pack.length);
    assertThatThrownBy(() -> ChunkPack.entries(longer, KEY))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining("pack chunk bytes");
  }

  @Test
  void aFooterNeedsAChunk() {
    assertThatThrownBy(() -> ChunkPack.footer(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keysListInTheOrderWrittenUnderTheTenant() {
    long lastNanosOf2026 = 1_798_761_599_999_999_999L; // 2026-12-31T23:59:59.999999999Z
    String earlier = ChunkPack.key("t", lastNanosOf2026, 0xffffffff);
    String later = ChunkPack.key("t", lastNanosOf2026 + 1, 0);
    assertThat(earlier).isEqualTo("t/packs/2026-12-31/18f67c251b9cffff-ffffffff");
    assertThat(later).startsWith("t/packs/2027-01-01/");
    assertThat(earlier).isLessThan(later);
    assertThatThrownBy(() -> ChunkPack.key("a/b", 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeyTellsWhenItsPackWasWrittenAndOtherKeysTellNothing() {
    long lastNanosOf2026 = 1_798_761_599_999_999_999L;
    String key = ChunkPack.key("t", lastNanosOf2026, 0x0badf00d);
    assertThat(ChunkPack.writtenNanos(key)).isEqualTo(lastNanosOf2026);
    assertThat(key).startsWith(ChunkPack.packsPrefix("t") + ChunkPack.day(lastNanosOf2026) + "/");
    assertThat(ChunkPack.day(lastNanosOf2026 + 1)).isEqualTo("2027-01-01");
    for (String other : new String[] {"t/chunks/3f1c0a9e5b7d2e44/17a3b1c2d3e4f500-17a3b1c9a0b1c2d3-8e1f2a3b",
        "t/dicts/abc", "t/packs/2026-12-31/18f67c251b9cffff_ffffffff", "t/packs/2026-12-31/18f67c251b9cfffg-ffffffff",
        "t/packs/2026-12-31/18f67c251b9cffff-fffffff", "t/packs/2026-12-31/ffffffffffffffff-ffffffff",
        "packs/2026-12-31/18f67c251b9cffff-ffffffff"}) {
      assertThat(ChunkPack.writtenNanos(other)).as(other).isEqualTo(-1);
    }
    assertThatThrownBy(() -> ChunkPack.packsPrefix("..")).isInstanceOf(IllegalArgumentException.class);
  }
}
