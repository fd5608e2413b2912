package io.lodge.ingester.read;

import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The opened blocks of recently read chunks, least recently used evicted first, bounded by the blocks'
 * bytes. Chunks are immutable and their keys name their content (the checksum is part of the key), so
 * an entry never goes stale. A hit costs no object-store read, no checksum and no header parsing: a
 * needle search over warm data only tests token filters. Thread-safe.
 */
final class ChunkCache {
  /** What a chunk costs in the cache beyond its block bytes (lists, readers, headers). */
  private static final long OVERHEAD_PER_BLOCK = 512;

  private final ChunkLoader loader;
  private final long maxBytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  private record Entry(List<BlockReader> blocks, long bytes) {}

  /** @param maxBytes the most block bytes kept; 0 disables caching (every read goes to the loader) */
  ChunkCache(ChunkLoader loader, long maxBytes) {
    this.loader = loader;
    this.maxBytes = maxBytes;
  }

  /** The chunk's blocks (all of them, in chunk order), verified; callers pick those in their range. */
  List<BlockReader> blocks(ChunkRef ref) {
    synchronized (this) {
      Entry e = entries.get(ref.key());
      if (e != null) {
        hits++;
        return e.blocks;
      }
      misses++;
    }
    // load outside the lock: two readers of the same cold chunk both load it, which is harmless
    List<SealedBlock> sealed = loader.blocks(ref, Long.MIN_VALUE, Long.MAX_VALUE);
    List<BlockReader> blocks = new ArrayList<>(sealed.size());
    long size = 0;
    for (SealedBlock b : sealed) {
      blocks.add(BlockReader.open(b.bytes(), 0, b.bytes().length, ref.key()));
      size += b.bytes().length + OVERHEAD_PER_BLOCK;
    }
    blocks = List.copyOf(blocks);
    if (size <= maxBytes) {
      synchronized (this) {
        Entry old = entries.put(ref.key(), new Entry(blocks, size));
        if (old != null) bytes -= old.bytes;
        bytes += size;
        var it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
          Map.Entry<String, Entry> eldest = it.next();
          bytes -= eldest.getValue().bytes;
          it.remove();
        }
      }
    }
    return blocks;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long hits() {
    return hits;
  }

  synchronized long misses() {
    return misses;
  }
}
