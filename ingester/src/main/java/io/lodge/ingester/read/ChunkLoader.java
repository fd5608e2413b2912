package io.lodge.ingester.read;

import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import java.util.List;

/** Loads the blocks of a flushed chunk that may hold entries in [from, to). */
public interface ChunkLoader {
  List<SealedBlock> blocks(ChunkRef ref, long fromNanos, long toNanos);
}
