package io.lodge.ingester.head;

/** Seals sorted entries into a compressed block and decodes one back; the chunk format's block codec. */
public interface BlockCodec {
  SealedBlock encode(EntrySnapshot sortedEntries);

  EntrySnapshot decode(SealedBlock block);
}
