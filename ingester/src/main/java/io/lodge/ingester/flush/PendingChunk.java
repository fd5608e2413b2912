package io.lodge.ingester.flush;

import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.model.LabelSet;
import java.util.List;

/** One chunk to write: a stream's sealed blocks, cut from the head. */
public record PendingChunk(LabelSet labels, List<SealedBlock> blocks) {
  public PendingChunk {
    blocks = List.copyOf(blocks);
    if (blocks.isEmpty()) throw new IllegalArgumentException("a chunk of " + labels + " needs at least one block");
  }

  /** The blocks' compressed bytes: about the chunk's size. */
  public long compressedBytes() {
    long n = 0;
    for (SealedBlock b : blocks) n += b.compressedBytes();
    return n;
  }
}
