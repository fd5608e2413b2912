package io.lodge.ingester.flush;

import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.model.LabelSet;
import java.util.List;

/** Writes a stream's sealed blocks as one immutable chunk object and reads blocks back from chunks. */
public interface ChunkStore {
  /** Writes a chunk durably and returns its reference for the index. */
  ChunkRef write(String tenant, LabelSet labels, List<SealedBlock> blocks);

  /** The chunk's blocks that may hold entries in [from, to). */
  List<SealedBlock> read(ChunkRef ref, long fromNanos, long toNanos);
}
