package io.lodge.ingester.read;

import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.LineDictionaries;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The opened blocks of recently read chunks, bounded by the blocks' bytes, evicted in least-recently-used
 * order as approximated by CLOCK (second chance): a lookup only sets the chunk's "used" flag, without a
 * lock and without reordering anything, because a needle search looks up every chunk of its streams
 * (1,000 per query) and an access-ordered map spent more time relinking its list than the search spent
 * testing token filters. Chunks are immutable and their keys name their content (the checksum is part
 * of the key), so an entry never goes stale. A hit costs no object-store read, no checksum and no header
 * parsing: a needle search over warm data only tests token filters. Beside its blocks, a cached chunk
 * keeps the exact token sets ({@link BlockTokens}) that searches learned about them, counted in the same
 * budget and evicted with the chunk. Thread-safe.
 */
final class ChunkCache {
  /** What a chunk costs in the cache beyond its block bytes (lists, readers, headers). */
  private static final long OVERHEAD_PER_BLOCK = 512;

  private final ChunkLoader loader;
  private final LineDictionaries dictionaries;
  private final long maxBytes;
  private final ConcurrentHashMap<String, Blocks> entries = new ConcurrentHashMap<>();
  private final ArrayDeque<Blocks> clock = new ArrayDeque<>(); // the cached chunks, oldest chance first; guarded by this
  private long bytes; // guarded by this
  private long learnedBytes; // the part of bytes in learned token sets; guarded by this
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /**
   * One chunk's opened blocks (all of them, in chunk order), and per block the exact token set learned
   * so far (null until a search learns it). Only a chunk held by the cache can learn: one read past the
   * cache (too large, or caching off) would throw its lesson away with the blocks.
   */
  static final class Blocks {
    private final ChunkCache owner; // null: not cached
    private final String key;
    private final List<BlockReader> readers;
    private final AtomicReferenceArray<BlockTokens> tokens;
    private long bytes; // guarded by owner
    private long learnedBytes; // the part of bytes in learned token sets; guarded by owner
    private volatile boolean used; // looked up since the clock hand last passed

    private Blocks(ChunkCache owner, String key, List<BlockReader> readers, long bytes) {
      this.owner = owner;
      this.key = key;
      this.readers = readers;
      this.tokens = owner == null ? null : new AtomicReferenceArray<>(readers.size());
      this.bytes = bytes;
    }

    /** The blocks, in chunk order. */
    List<BlockReader> readers() {
      return readers;
    }

    /** The exact token set of block {@code i}, or null when none is known. */
    BlockTokens tokens(int i) {
      return tokens == null ? null : tokens.get(i);
    }

    /**
     * Whether block {@code i} may still learn its token set: its chunk is cached, no search learned it
     * yet, and the cache's budget for learned sets has room.
     */
    boolean canLearn(int i) {
      return tokens != null && tokens.get(i) == null && owner.learningHasRoom();
    }

    /** Records block {@code i}'s token set and charges its bytes to the cache (which may evict). */
    void learn(int i, BlockTokens t) {
      if (tokens != null && tokens.compareAndSet(i, null, t)) owner.charge(this, t.bytes());
    }
  }

  /** @param maxBytes the most block bytes kept; 0 disables caching (every read goes to the loader) */
  ChunkCache(ChunkLoader loader, long maxBytes) {
    this(loader, maxBytes, LineDictionaries.NONE);
  }

  /** @param dictionaries where the blocks find the line dictionaries they were compressed with */
  ChunkCache(ChunkLoader loader, long maxBytes, LineDictionaries dictionaries) {
    this.loader = loader;
    this.maxBytes = maxBytes;
    this.dictionaries = dictionaries;
  }

  /** The chunk's blocks (all of them, in chunk order), verified; callers pick those in their range. */
  List<BlockReader> blocks(ChunkRef ref) {
    return chunk(ref).readers;
  }

  /** The chunk's blocks when the cache holds them (a hit), else null: nothing is loaded. */
  Blocks peek(ChunkRef ref) {
    Blocks e = entries.get(ref.key());
    if (e != null) {
      if (!e.used) e.used = true;
      hits.increment();
    }
    return e;
  }

  /** The chunk's blocks with what searches learned about them; loads and verifies it on a miss. */
  Blocks chunk(ChunkRef ref) {
    Blocks e = entries.get(ref.key());
    if (e != null) {
      if (!e.used) e.used = true; // a read first: most hits then write nothing
      hits.increment();
      return e;
    }
    misses.increment();
    // load outside the lock: two readers of the same cold chunk both load it, and the first one kept wins
    List<SealedBlock> sealed = loader.blocks(ref, Long.MIN_VALUE, Long.MAX_VALUE);
    List<BlockReader> blocks = new ArrayList<>(sealed.size());
    long size = 0;
    for (SealedBlock b : sealed) {
      blocks.add(BlockReader.open(b.bytes(), 0, b.bytes().length, ref.key(), dictionaries, ref.tenant()));
      size += b.bytes().length + OVERHEAD_PER_BLOCK;
    }
    blocks = List.copyOf(blocks);
    if (size > maxBytes) return new Blocks(null, ref.key(), blocks, size);
    Blocks fresh = new Blocks(this, ref.key(), blocks, size);
    synchronized (this) {
      Blocks won = entries.putIfAbsent(ref.key(), fresh);
      if (won != null) return won;
      clock.addLast(fresh);
      bytes += size;
      evict();
    }
    return fresh;
  }

  /** Adds {@code n} learned bytes to a cached chunk's cost; nothing when it was evicted meanwhile. */
  private synchronized void charge(Blocks e, long n) {
    if (entries.get(e.key) != e) return; // evicted: its lessons went with it
    e.bytes += n;
    e.learnedBytes += n;
    bytes += n;
    learnedBytes += n;
    evict();
  }

  /**
   * Learned token sets may take up to a quarter of the budget: blocks are what the cache is for, and
   * sets learned by a stream of different needles must not push them out.
   */
  private synchronized boolean learningHasRoom() {
    return learnedBytes < maxBytes / 4;
  }

  /**
   * Evicts until the budget holds: the hand takes the oldest chunk; one used since the hand last passed
   * gets a second chance (flag cleared, back to the end), the first one not used goes. Ends within two
   * rounds, since each visit clears a flag.
   */
  private void evict() {
    while (bytes > maxBytes && !clock.isEmpty()) {
      Blocks e = clock.pollFirst();
      if (e.used) {
        e.used = false;
        clock.addLast(e);
      } else {
        entries.remove(e.key, e);
        bytes -= e.bytes;
        learnedBytes -= e.learnedBytes;
      }
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  /** The part of {@link #bytes()} in learned token sets. */
  synchronized long learnedBytes() {
    return learnedBytes;
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }
}
