package io.lodge.ingester.chunk;

import io.lodge.ingester.model.LabelSet;

/**
 * Which dictionary a stream's next block compresses its lines with, learned from the blocks sealed
 * before: the head's codec asks {@link #choose} for every block and, when there is none yet, shows the
 * block's lines to {@link #offer} so that one can be trained. Implementations must be cheap on both calls
 * (they run on the sealing path) and thread-safe.
 */
public interface LineDictionaryPolicy extends LineDictionaries {
  /** Never uses a dictionary. */
  LineDictionaryPolicy NONE = new LineDictionaryPolicy() {
    @Override
    public LineDictionary find(String tenant, long id) {
      return null;
    }

    @Override
    public LineDictionary choose(String tenant, LabelSet labels) {
      return null;
    }

    @Override
    public void offer(String tenant, LabelSet labels, byte[] lines, int[] ends, int count) {}
  };

  /** The dictionary for the stream's next block, or null to compress it without one. */
  LineDictionary choose(String tenant, LabelSet labels);

  /**
   * A block of the stream is being sealed without a dictionary: entry {@code i}'s line is
   * {@code lines[ends[i-1], ends[i])} ({@code ends[-1]} = 0). Valid only during the call: copy what is kept.
   */
  void offer(String tenant, LabelSet labels, byte[] lines, int[] ends, int count);
}
