package io.lodge.ingester.chunk;

/**
 * Finds the dictionary a block's lines column was compressed with. Readers of blocks that may use
 * dictionaries are given one; a block whose dictionary cannot be found fails to decode its lines with a
 * {@link ChunkFormatException} naming the dictionary.
 */
@FunctionalInterface
public interface LineDictionaries {
  /** Knows no dictionary: blocks compressed with one cannot decode their lines. */
  LineDictionaries NONE = (tenant, id) -> null;

  /**
   * The dictionary with this id, or null when there is none.
   *
   * @param tenant the tenant whose block asks (dictionaries belong to one tenant); null when unknown
   */
  LineDictionary find(String tenant, long id);
}
