package io.lodge.ingester.head;

/** Seals a frozen block's columns into a compressed block and decodes one back; the chunk format's block codec. */
public interface BlockCodec {
  /**
   * Compresses the entries in timestamp order (stable). {@code columns} is valid only during the call (its
   * lines may sit in pages that are recycled afterwards): keep no reference to it or its arrays.
   */
  SealedBlock encode(BlockColumns columns);

  EntrySnapshot decode(SealedBlock block);
}
