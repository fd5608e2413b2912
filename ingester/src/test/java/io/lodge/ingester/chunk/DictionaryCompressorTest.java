package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictContentType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link DictionaryCompressor}: frames made with the block right after the dictionary (in its room) and
 * frames made from the block where it is (a concurrent user holds the room, or the block is larger than
 * it) all decode with the dictionary alone, for raw-content and trained dictionaries, from many threads.
 */
class DictionaryCompressorTest {
  /** Lines of all loghub systems, from line {@code from} of each, until {@code bytes} are gathered. */
  private static byte[] loghub(int from, int bytes, long seed) {
    List<byte[]> all = LineDictionaryBlockTest.loghubLines();
    Random r = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 4096);
    while (out.size() < bytes) {
      int system = r.nextInt(16);
      byte[] line = all.get(system * 2000 + from + r.nextInt(2000 - from));
      out.writeBytes(line);
      out.write('\n');
    }
    return Arrays.copyOf(out.toByteArray(), bytes);
  }

  private static byte[] frame(DictionaryCompressor c, byte[] src, int off, int len) {
    byte[] dst = new byte[(int) Zstd.compressBound(len) + 7];
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      int n = c.compress(ctx, src, off, len, dst, 7, dst.length - 7); // at an offset: the copy must honour it
      return Arrays.copyOfRange(dst, 7, 7 + n);
    }
  }

  private static byte[] decoded(byte[] frame, LineDictionary dict, int rawLen) {
    byte[] back = new byte[rawLen];
    ZstdColumnCodec.decode(frame, 0, frame.length, back, 0, rawLen, dict, 0, "test");
    return back;
  }

  @Test
  void framesMadeInTheRoomAndOutsideItDecodeWithTheDictionary() {
    byte[] raw = loghub(0, 128 << 10, 1);
    for (LineDictionary dict : List.of(new LineDictionary(raw), LineDictionaryBlockTest.sshDictionary())) {
      ZstdDictContentType type = dict.size() == raw.length ? ZstdDictContentType.RAW_CONTENT : ZstdDictContentType.FULL_DICT;
      try (DictionaryCompressor c = new DictionaryCompressor(dict.bytes(), type, 3, 1)) {
        byte[] block = loghub(1000, 200 << 10, 2); // fits the room (MIN_ROOM)
        byte[] inRoom = frame(c, block, 0, block.length);
        assertThat(decoded(inRoom, dict, block.length)).isEqualTo(block);
        assertThat(inRoom.length).as("the dictionary is used").isLessThan(Zstd.compress(block, 3).length);

        byte[] part = frame(c, block, 5000, 70_000); // a slice of a larger array
        assertThat(decoded(part, dict, 70_000)).isEqualTo(Arrays.copyOfRange(block, 5000, 75_000));

        byte[] big = loghub(1000, DictionaryCompressor.MIN_ROOM + 4096, 3); // larger than the room
        assertThat(decoded(frame(c, big, 0, big.length), dict, big.length)).isEqualTo(big);

        byte[] again = frame(c, block, 0, block.length); // the room is reused: the earlier block does not linger
        assertThat(again).isEqualTo(inRoom);
      }
    }
  }

  @Test
  void theRoomChangesHowZstdSearchesNotWhatDecodes() {
    LineDictionary dict = new LineDictionary(loghub(0, 256 << 10, 7));
    byte[] block = loghub(1000, DictionaryCompressor.MIN_ROOM + 20_000, 8);
    try (DictionaryCompressor small = new DictionaryCompressor(dict.bytes(), ZstdDictContentType.RAW_CONTENT, 3, 1);
        DictionaryCompressor large = new DictionaryCompressor(dict.bytes(), ZstdDictContentType.RAW_CONTENT, 3, block.length)) {
      byte[] outside = frame(small, block, 0, block.length);
      byte[] inRoom = frame(large, block, 0, block.length);
      assertThat(inRoom).as("one window instead of two segments finds other matches").isNotEqualTo(outside);
      assertThat(decoded(outside, dict, block.length)).isEqualTo(block);
      assertThat(decoded(inRoom, dict, block.length)).isEqualTo(block);
      assertThat((double) inRoom.length).isLessThan(outside.length * 1.02);
    }
  }

  @Test
  void theConfiguredBlockSizeSizesTheRoomNotTheFirstBlock() {
    LineDictionary dict = new LineDictionary(loghub(0, 256 << 10, 9));
    ZstdColumnCodec codec = new ZstdColumnCodec(3, 1 << 20); // blocks of 1 MiB configured
    byte[] small = loghub(1000, 10_000, 10);
    byte[] big = loghub(1000, 900 << 10, 11);
    ByteSink first = new ByteSink(64);
    codec.encode(small, 0, small.length, first, dict); // an early small block (an idle stream's cut)
    ByteSink later = new ByteSink(64);
    codec.encode(big, 0, big.length, later, dict);
    byte[] frame = later.toByteArray();
    assertThat(decoded(frame, dict, big.length)).isEqualTo(big);
    try (DictionaryCompressor outside = new DictionaryCompressor(dict.bytes(), ZstdDictContentType.RAW_CONTENT, 3, 1)) {
      assertThat(frame).as("compressed in the room, not where it was").isNotEqualTo(frame(outside, big, 0, big.length));
    }
  }

  @Test
  void concurrentUsersShareTheRoomSafely() throws Exception {
    LineDictionary dict = new LineDictionary(loghub(0, 256 << 10, 4));
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < 12; i++) blocks.add(loghub(1000, (40 << 10) + i * 9000, 10 + i));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (DictionaryCompressor c = new DictionaryCompressor(dict.bytes(), ZstdDictContentType.RAW_CONTENT, 3, 64 << 10)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          Random r = new Random(seed);
          for (int i = 0; i < 60; i++) {
            byte[] b = blocks.get(r.nextInt(blocks.size()));
            assertThat(decoded(frame(c, b, 0, b.length), dict, b.length)).isEqualTo(b);
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedCompressorRefusesWork() {
    DictionaryCompressor c = new DictionaryCompressor(loghub(0, 32 << 10, 5), ZstdDictContentType.RAW_CONTENT, 3, 1);
    c.close();
    c.close(); // twice is fine
    byte[] block = loghub(1000, 10_000, 6);
    assertThatThrownBy(() -> frame(c, block, 0, block.length)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
