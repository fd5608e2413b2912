package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.lodge.ingester.model.LogEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Corrupt chunks and blocks must fail with {@link ChunkFormatException} only. With the checksum intact
 * every bit flip and truncation is caught up front; with the checksum recomputed over the damage, the
 * parsers behind it must still fail cleanly (or decode something) and never throw anything else.
 */
class CorruptionTest {
  @Provide
  Arbitrary<List<LogEntry>> entries() {
    return EntryArbitraries.entries(30);
  }

  @Property(tries = 150)
  void everyBitFlipIsDetected(@ForAll("entries") List<LogEntry> entries, @ForAll long seed) {
    byte[] chunk = ChunkRoundTripTest.chunkOf("t", ChunkRoundTripTest.LABELS, entries, 7);
    Random rnd = new Random(seed);
    byte[] bad = chunk.clone();
    int flips = 1 + rnd.nextInt(3);
    for (int i = 0; i < flips; i++) {
      int at = rnd.nextInt(bad.length);
      bad[at] ^= (byte) (1 << rnd.nextInt(8));
    }
    if (Arrays.equals(bad, chunk)) return; // flips cancelled out
    assertThatThrownBy(() -> readAll(bad, "t/chunks/k")).isInstanceOf(ChunkFormatException.class)
        .hasMessageContaining("t/chunks/k");
  }

  @Property(tries = 150)
  void everyTruncationIsDetected(@ForAll("entries") List<LogEntry> entries, @ForAll long seed) {
    byte[] chunk = ChunkRoundTripTest.chunkOf("t", ChunkRoundTripTest.LABELS, entries, 7);
    int len = new Random(seed).nextInt(chunk.length);
    assertThatThrownBy(() -> readAll(Arrays.copyOf(chunk, len), "k")).isInstanceOf(ChunkFormatException.class);
  }

  @Test
  void truncationAtEveryLengthOfASmallChunk() {
    byte[] chunk = ChunkRoundTripTest.chunkOf("t", ChunkRoundTripTest.LABELS,
        List.of(LogEntry.of(1, "a b c"), LogEntry.of(2, "d e f")), 1);
    for (int len = 0; len < chunk.length; len++) {
      byte[] cut = Arrays.copyOf(chunk, len);
      assertThatThrownBy(() -> readAll(cut, "k")).isInstanceOf(ChunkFormatException.class);
    }
  }

  @Property(tries = 300)
  void parsersBehindAValidChunkCrcNeverThrowAnythingElse(@ForAll("entries") List<LogEntry> entries, @ForAll long seed) {
    byte[] chunk = ChunkRoundTripTest.chunkOf("t", ChunkRoundTripTest.LABELS, entries, 5);
    Random rnd = new Random(seed);
    byte[] bad = chunk.clone();
    damage(bad, bad.length - 8, rnd); // leave CRC and magic to be rewritten
    ChunkRoundTripTest.fixChunkCrc(bad);
    try {
      readAll(bad, "k");
    } catch (ChunkFormatException expected) {
      // fine: detected
    } catch (Throwable t) {
      fail("corrupt chunk (seed " + seed + ") escaped as " + t, t);
    }
  }

  @Property(tries = 300)
  void parsersBehindAValidBlockCrcNeverThrowAnythingElse(@ForAll("entries") List<LogEntry> entries, @ForAll long seed) {
    BlockBuilder b = new BlockBuilder();
    entries.forEach(b::append);
    byte[] block = b.encode().bytes();
    Random rnd = new Random(seed);
    damage(block, block.length - 4, rnd);
    int crc = ChunkFormat.crc32c(block, 0, block.length - 4);
    for (int i = 0; i < 4; i++) block[block.length - 4 + i] = (byte) (crc >>> (8 * i));
    try {
      BlockReader r = BlockReader.open(block, 0, block.length, "k");
      r.readTimestamps(new DecodedBlock());
      r.readEntries(new DecodedBlock());
      r.mightContainLiteral(" error ".getBytes());
    } catch (ChunkFormatException expected) {
      // fine: detected
    } catch (Throwable t) {
      fail("corrupt block (seed " + seed + ") escaped as " + t, t);
    }
  }

  @Test
  void aBlockBitFlipIsDetectedByItsOwnCrc() {
    BlockBuilder b = new BlockBuilder();
    b.append(LogEntry.of(1, "hello"));
    byte[] block = b.encode().bytes();
    for (int bit = 0; bit < block.length * 8; bit++) {
      byte[] bad = block.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> BlockReader.open(bad, 0, bad.length, "k")).isInstanceOf(ChunkFormatException.class);
    }
  }

  @Test
  void theMessageNamesExpectedActualAndOffset() {
    byte[] chunk = ChunkRoundTripTest.chunkOf("t", ChunkRoundTripTest.LABELS, List.of(LogEntry.of(1, "x")), 1);
    chunk[20] ^= 1;
    assertThatThrownBy(() -> ChunkReader.open(chunk, "t/chunks/abc"))
        .isInstanceOf(ChunkFormatException.class)
        .hasMessageStartingWith("chunk t/chunks/abc: bad chunk checksum at offset " + (chunk.length - 8) + ": expected CRC32C 0x")
        .satisfies(e -> assertThat(((ChunkFormatException) e).key()).isEqualTo("t/chunks/abc"));
  }

  /** Flips bits, overwrites a byte range, or shifts bytes, within {@code b[0, end)}. */
  private static void damage(byte[] b, int end, Random rnd) {
    switch (rnd.nextInt(3)) {
      case 0 -> {
        for (int i = 1 + rnd.nextInt(4); i > 0; i--) b[rnd.nextInt(end)] ^= (byte) (1 << rnd.nextInt(8));
      }
      case 1 -> {
        int at = rnd.nextInt(end);
        int n = Math.min(end - at, 1 + rnd.nextInt(8));
        for (int i = 0; i < n; i++) b[at + i] = (byte) rnd.nextInt(256);
      }
      default -> {
        int at = rnd.nextInt(end);
        int n = end - at - 1;
        if (n > 0) System.arraycopy(b, at + 1, b, at, n);
      }
    }
  }

  static void readAll(byte[] chunk, String key) {
    ChunkReader r = ChunkReader.open(chunk, key);
    DecodedBlock d = new DecodedBlock();
    for (int i = 0; i < r.blockCount(); i++) {
      BlockReader b = r.readBlock(i);
      b.readTimestamps(d);
      b.readEntries(d);
    }
  }
}
