package io.lodge.ingester.flush;

import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import java.util.List;
import java.util.function.Predicate;

/**
 * Writes streams' sealed blocks as immutable chunks, several to an object (a pack), reads blocks back from chunks,
 * and lists and deletes packs for the collection of those no index entry names.
 */
public interface ChunkStore {
  /**
   * Writes the chunks of one tenant durably, together in one object, and returns their references for the
   * index, in the order given.
   */
  List<ChunkRef> write(String tenant, List<PendingChunk> chunks);

  /**
   * Removes the objects holding these chunks, which a failed flush cycle wrote but never indexed (every
   * chunk of such an object is among them).
   */
  void discard(List<ChunkRef> refs);

  /**
   * The keys of the packs written at or after {@code sinceNanos} (Unix ns, by their names) that {@code select}
   * accepts: tenant by tenant, each tenant's in the order written.
   */
  List<String> listPacks(long sinceNanos, Predicate<String> select);

  /** Deletes one pack {@link #listPacks} named. */
  void deletePack(String key);

  /** The chunk's blocks that may hold entries in [from, to). */
  List<SealedBlock> read(ChunkRef ref, long fromNanos, long toNanos);
}
