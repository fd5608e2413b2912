package io.lodge.ingester.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.ChunkFormatException;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ChunkCache}: loads once, evicts least recently used by bytes, never caches what cannot fit, checks CRCs. */
class ChunkCacheTest {
  private final Map<String, List<SealedBlock>> objects = new HashMap<>();
  private final List<String> loads = new ArrayList<>();
  private final ChunkLoader loader = (ref, from, to) -> {
    loads.add(ref.key());
    return objects.get(ref.key());
  };

  private ChunkRef chunk(String key, int lines) {
    BlockBuilder b = new BlockBuilder();
    for (int i = 0; i < lines; i++) {
      byte[] l = ("line " + i + " of " + key).getBytes(StandardCharsets.UTF_8);
      b.append(1000 + i, l, 0, l.length, List.of());
    }
    EncodedBlock e = b.encode();
    objects.put(key, List.of(new SealedBlock(e.minTimestamp(), e.maxTimestamp(), e.entryCount(), e.rawBytes(), e.bytes())));
    return new ChunkRef("t", LabelSet.of("a", "b"), 1000, 1000 + lines - 1, key, lines, e.rawBytes(), e.bytes().length);
  }

  private static long size(ChunkRef ref, Map<String, List<SealedBlock>> objects) {
    return objects.get(ref.key()).get(0).bytes().length + 512;
  }

  @Test
  void aChunkIsLoadedOnceAndTheLeastRecentlyUsedIsEvictedFirst() {
    ChunkRef a = chunk("a", 10), b = chunk("b", 10), c = chunk("c", 10);
    long each = Math.max(size(a, objects), Math.max(size(b, objects), size(c, objects)));
    ChunkCache cache = new ChunkCache(loader, 2 * each + 1);
    List<BlockReader> first = cache.blocks(a);
    assertThat(cache.blocks(a)).isSameAs(first);
    cache.blocks(b);
    cache.blocks(a); // a is now more recent than b
    cache.blocks(c); // evicts b
    assertThat(loads).containsExactly("a", "b", "c");
    cache.blocks(a);
    cache.blocks(b);
    assertThat(loads).containsExactly("a", "b", "c", "b");
    assertThat(cache.hits()).isEqualTo(3);
    assertThat(cache.misses()).isEqualTo(4);
    assertThat(cache.bytes()).isLessThanOrEqualTo(2 * each + 1);
    assertThat(first.get(0).entryCount()).isEqualTo(10);
  }

  @Test
  void aChunkLargerThanTheCacheIsReadButNotKept() {
    ChunkRef big = chunk("big", 2000);
    ChunkCache cache = new ChunkCache(loader, 100);
    assertThat(cache.blocks(big)).hasSize(1);
    assertThat(cache.blocks(big)).hasSize(1);
    assertThat(loads).containsExactly("big", "big");
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void concurrentReadersKeepTheBudgetAndGetTheirChunks() throws Exception {
    List<ChunkRef> refs = new ArrayList<>();
    for (int i = 0; i < 20; i++) refs.add(chunk("k" + i, 5 + i));
    long each = size(refs.get(19), objects);
    ChunkCache cache = new ChunkCache((ref, from, to) -> objects.get(ref.key()), 5 * each);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      long seed = t;
      threads.add(Thread.ofPlatform().start(() -> {
        java.util.Random r = new java.util.Random(seed);
        try {
          for (int i = 0; i < 5000; i++) {
            int k = r.nextInt(refs.size());
            ChunkCache.Blocks c = r.nextBoolean() ? cache.chunk(refs.get(k)) : cache.peek(refs.get(k));
            if (c == null) continue;
            assertThat(c.readers().get(0).entryCount()).isEqualTo(5 + k);
            long bytes = cache.bytes();
            assertThat(bytes).isBetween(0L, 5 * each);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    for (Thread t : threads) t.join();
    assertThat(failures).isEmpty();
    // quiet again: the cached chunks are what the bytes say (a hit for each, no load)
    long held = 0;
    for (ChunkRef ref : refs) if (cache.peek(ref) != null) held += size(ref, objects);
    assertThat(cache.bytes()).isEqualTo(held);
    assertThat(cache.hits() + cache.misses()).isPositive();
  }

  @Test
  void aCorruptBlockFailsWhenItIsLoaded() {
    ChunkRef a = chunk("a", 10);
    byte[] bytes = objects.get("a").get(0).bytes();
    bytes[bytes.length / 2] ^= 1;
    ChunkCache cache = new ChunkCache(loader, 1 << 20);
    assertThatThrownBy(() -> cache.blocks(a)).isInstanceOf(ChunkFormatException.class).hasMessageContaining("checksum");
    assertThat(cache.bytes()).isZero();
  }
}
