package io.lodge.ingester.read;

import io.lodge.ingester.head.BlockCodec;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.List;

/** The lazy {@link EntrySource}s: a compressed block, and a flushed chunk not yet fetched. */
final class LazySources {
  private LazySources() {}

  /** What every lazy source of one read shares: the range, the direction and the block codec. */
  private abstract static class Lazy extends EntrySource {
    final BlockCodec codec;
    final long from;
    final long to;
    final boolean forward;

    Lazy(LabelSet labels, int order, BlockCodec codec, long from, long to, boolean forward) {
      super(labels, order);
      this.codec = codec;
      this.from = from;
      this.to = to;
      this.forward = forward;
    }

    @Override
    final boolean isLazy() {
      return true;
    }
  }

  /** A compressed block, decoded when the merge reaches its time bound. */
  static final class Block extends Lazy {
    private final SealedBlock block;

    Block(LabelSet labels, int order, SealedBlock block, BlockCodec codec, long from, long to, boolean forward) {
      super(labels, order, codec, from, to, forward);
      this.block = block;
    }

    @Override
    long key() {
      return forward ? block.minTs() : block.maxTs();
    }

    @Override
    List<EntrySource> expand() {
      return List.of(new EntrySource.Run(labels, order, codec.decode(block), from, to, forward));
    }
  }

  /** A flushed chunk, fetched from the object store when the merge reaches its time bound. */
  static final class Chunk extends Lazy {
    private final ChunkRef ref;
    private final ChunkLoader loader;

    Chunk(ChunkRef ref, int order, ChunkLoader loader, BlockCodec codec, long from, long to, boolean forward) {
      super(ref.labels(), order, codec, from, to, forward);
      this.ref = ref;
      this.loader = loader;
    }

    @Override
    long key() {
      return forward ? ref.fromNanos() : ref.throughNanos();
    }

    @Override
    List<EntrySource> expand() {
      List<EntrySource> out = new ArrayList<>();
      for (SealedBlock b : loader.blocks(ref, from, to)) {
        if (b.overlaps(from, to)) out.add(new Block(labels, order, b, codec, from, to, forward));
      }
      return out;
    }
  }
}
