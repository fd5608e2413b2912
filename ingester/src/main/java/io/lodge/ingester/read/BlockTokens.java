package io.lodge.ingester.read;

import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.chunk.TokenFilter;
import java.util.Arrays;

/**
 * The exact set of token hashes of one block's lines, learned when a search decoded the block because
 * its token filter answered "maybe" and no line matched (a false positive of the filter). A block's
 * bloom filter is sized for ~1% false positives, so a needle search over 2,400 blocks still decodes
 * ~24 of them on every run; once a block's exact set is known, later searches for any token rule the
 * block out without decompressing it. Blocks are immutable, so a learned set never goes stale.
 *
 * <p>The hashes are those of {@link TokenFilter#literalHashes}, computed over the block's lines joined
 * by a separator: every token a line holds is bounded by separators there, and a line that contains a
 * literal contains every token {@code literalHashes} takes from that literal, so {@link #containsAll}
 * never rules out a block holding a match (no false negatives). Kept are the hashes' top 32 bits,
 * sorted: 4 bytes per distinct token (~12 KB for a 190 KB block of loghub lines), and a false
 * positive about once in a million probes of a block of 3,000 tokens. Immutable.
 */
final class BlockTokens {
  /** What an instance costs beyond its hashes (object and array headers). */
  private static final long OVERHEAD = 64;

  private final int[] sorted; // distinct fingerprints (top 32 bits of the hashes), ascending

  private BlockTokens(int[] sorted) {
    this.sorted = sorted;
  }

  /** The token hashes of every line of {@code block} (which must hold its lines: all of them, not a range). */
  static BlockTokens of(DecodedBlock block) {
    int n = block.size();
    int[] offs = block.lineOffsets();
    byte[] lines = block.lineBytes();
    // one buffer " line0 line1 ... lineN ": a space before and after every line bounds its first and last
    // tokens (literalHashes keeps only bounded ones), and no token can run from one line into the next
    byte[] joined = new byte[offs[n] - offs[0] + n + 1];
    int p = 0;
    joined[p++] = ' ';
    for (int i = 0; i < n; i++) {
      int len = offs[i + 1] - offs[i];
      System.arraycopy(lines, offs[i], joined, p, len);
      p += len;
      joined[p++] = ' ';
    }
    long[] h = TokenFilter.literalHashes(joined, false);
    int[] f = new int[h.length];
    for (int i = 0; i < h.length; i++) f[i] = fingerprint(h[i]);
    Arrays.sort(f);
    int distinct = 0;
    for (int i = 0; i < f.length; i++) {
      if (i == 0 || f[i] != f[i - 1]) f[distinct++] = f[i];
    }
    return new BlockTokens(Arrays.copyOf(f, distinct));
  }

  private static int fingerprint(long hash) {
    return (int) (hash >>> 32);
  }

  /** True when the block holds a token with every one of these hashes (so true for none). */
  boolean containsAll(long[] hashes) {
    for (long h : hashes) {
      if (Arrays.binarySearch(sorted, fingerprint(h)) < 0) return false;
    }
    return true;
  }

  /** Number of distinct tokens. */
  int size() {
    return sorted.length;
  }

  /** Heap bytes this set holds, for the chunk cache's budget. */
  long bytes() {
    return OVERHEAD + 4L * sorted.length;
  }
}
