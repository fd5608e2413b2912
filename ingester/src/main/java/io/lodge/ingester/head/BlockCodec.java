package io.lodge.ingester.head;

import io.lodge.ingester.model.LabelSet;

/**
 * Seals a frozen block's columns into a compressed block and decodes one back; the chunk format's block
 * codec. The stream ({@code tenant}, {@code labels}) may choose how the block is compressed (its lines
 * dictionary).
 */
public interface BlockCodec {
  /**
   * Compresses the entries in timestamp order (stable). {@code columns} is valid only during the call (its
   * lines may sit in pages that are recycled afterwards): keep no reference to it or its arrays.
   */
  SealedBlock encode(String tenant, LabelSet labels, BlockColumns columns);

  EntrySnapshot decode(SealedBlock block);

  /**
   * Blocks of streams with equal affinity are cheaper to encode one after another (they share a lines
   * dictionary, whose tables then stay in the CPU caches): the sealer orders what it has queued by it.
   * Must be cheap; 0 when the stream has nothing to share.
   */
  default long affinity(String tenant, LabelSet labels) {
    return 0;
  }
}
