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

    Block(LabelSet labels, int order, BlockReader block, BlockScanner scanner, boolean forward) {
      super(labels, order, scanner, forward);
      this.block = block;
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
      BlockRun run = scanner.scan(labels, order, block);
      return run == null ? List.of() : List.of(run);
    }
  }

  /** A flushed chunk, fetched (or found in the cache) when the merge reaches its time bound. */
  static final class Chunk extends Lazy {
    private final ChunkRef ref;
    private final ChunkCache chunks;
    private final long from;
    private final long to;

    Chunk(ChunkRef ref, int order, ChunkCache chunks, BlockScanner scanner, long from, long to, boolean forward) {
      super(ref.labels(), order, scanner, forward);
      this.ref = ref;
      this.chunks = chunks;
      this.from = from;
      this.to = to;
    }

    @Override
    long key() {
      return forward ? ref.fromNanos() : ref.throughNanos();
    }

    @Override
    List<EntrySource> expand() {
      List<EntrySource> out = new ArrayList<>();
      for (BlockReader b : chunks.blocks(ref)) {
        // blocks outside the range, or that the token filter rules out, never become sources
        if (b.minTimestamp() < to && b.maxTimestamp() >= from && scanner.mayMatch(b)) {
          out.add(new Block(labels, order, b, scanner, forward));
        }
      }
      return out;
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
