package io.lodge.ingester.read;

import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.List;

/** The lazy {@link EntrySource}s: a compressed block, and a flushed chunk not yet fetched. */
final class LazySources {
  private LazySources() {}

  /** What every lazy source of one read shares: the scanner (range, direction, hints). */
  private abstract static class Lazy extends EntrySource {
    final BlockScanner scanner;
    final boolean forward;

    Lazy(LabelSet labels, int order, BlockScanner scanner, boolean forward) {
      super(labels, order);
      this.scanner = scanner;
      this.forward = forward;
    }

    @Override
    final boolean isLazy() {
      return true;
    }
  }

  /** A compressed block, decoded when the merge reaches its time bound. */
  static final class Block extends Lazy {
    private final BlockReader block;
    private final ChunkCache.Blocks chunk; // the cached chunk holding the block, or null
    private final int index; // the block's index in chunk

    Block(LabelSet labels, int order, BlockReader block, BlockScanner scanner, boolean forward) {
      this(labels, order, block, scanner, forward, null, -1);
    }

    Block(LabelSet labels, int order, BlockReader block, BlockScanner scanner, boolean forward,
        ChunkCache.Blocks chunk, int index) {
      super(labels, order, scanner, forward);
      this.block = block;
      this.chunk = chunk;
      this.index = index;
    }

    @Override
    long key() {
      return forward ? block.minTimestamp() : block.maxTimestamp();
    }

    BlockReader reader() {
      return block;
    }

    @Override
    List<EntrySource> expand() {
      BlockRun run = scanner.scan(labels, order, block, chunk, index);
      return run == null ? List.of() : List.of(run);
    }
  }

  /** A flushed chunk, fetched (or found in the cache) when the merge reaches its time bound. */
  static final class Chunk extends Lazy {
    private final ChunkRef ref;
    private final ChunkCache chunks;
    private final ChunkCache.Blocks cached; // the chunk's blocks when the reader already looked them up, else null
    private final long from;
    private final long to;

    Chunk(ChunkRef ref, int order, ChunkCache chunks, ChunkCache.Blocks cached, BlockScanner scanner, long from,
        long to, boolean forward) {
      super(ref.labels(), order, scanner, forward);
      this.ref = ref;
      this.chunks = chunks;
      this.cached = cached;
      this.from = from;
      this.to = to;
    }

    @Override
    long key() {
      return forward ? ref.fromNanos() : ref.throughNanos();
    }

    @Override
    List<EntrySource> expand() {
      ChunkCache.Blocks c = cached != null ? cached : chunks.chunk(ref);
      List<BlockReader> blocks = c.readers();
      List<EntrySource> out = null; // most chunks of a needle search keep no block: allocate on the first
      for (int i = 0; i < blocks.size(); i++) {
        BlockReader b = blocks.get(i);
        // blocks outside the range, or that the token filter (or learned token set) rules out, never become sources
        if (b.minTimestamp() < to && b.maxTimestamp() >= from && scanner.mayMatch(b, c.tokens(i))) {
          if (out == null) out = new ArrayList<>(blocks.size() - i);
          out.add(new Block(labels, order, b, scanner, forward, c, i));
        }
      }
      return out == null ? List.of() : out;
    }

    /** The chunk's blocks that overlap the read's range (fetching the chunk), token filters not consulted. */
    List<BlockReader> blocksInRange() {
      List<BlockReader> out = new ArrayList<>();
      for (BlockReader b : chunks.blocks(ref)) {
        if (b.minTimestamp() < to && b.maxTimestamp() >= from) out.add(b);
      }
      return out;
    }
  }
}
