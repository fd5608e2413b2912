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

  /** A compressed block, decoded when the merge reaches its time bound. */
  static final class Block extends EntrySource {
    private final SealedBlock block;
    private final BlockCodec codec;
    private final long from;
    private final long to;
    private final boolean forward;

    Block(LabelSet labels, int order, SealedBlock block, BlockCodec codec, long from, long to, boolean forward) {
      super(labels, order);
      this.block = block;
      this.codec = codec;
      this.from = from;
      this.to = to;
      this.forward = forward;
    }

    @Override
    boolean isLazy() {
      return true;
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
  static final class Chunk extends EntrySource {
    private final ChunkRef ref;
    private final ChunkLoader loader;
    private final BlockCodec codec;
    private final long from;
    private final long to;
    private final boolean forward;

    Chunk(ChunkRef ref, int order, ChunkLoader loader, BlockCodec codec, long from, long to, boolean forward) {
      super(ref.labels(), order);
      this.ref = ref;
      this.loader = loader;
      this.codec = codec;
      this.from = from;
      this.to = to;
      this.forward = forward;
    }

    @Override
    boolean isLazy() {
      return true;
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
