package io.lodge.ingester.chunk;

import java.util.Arrays;

/**
 * The token hashes of one block as {@link Tokens#addLine} finds them, appended in order, and an
 * estimate of how many of them are distinct, which sizes the block's {@link TokenFilter}.
 *
 * <p>A repeat is usually caught by the tokenizer's short-token cache before it gets here, but not always
 * (about 1.4 hashes arrive per distinct token over loghub blocks); repeats cost nothing in the filter,
 * whose bits they set again. The distinct count is estimated by linear counting (Whang et al., 1990):
 * every hash sets one bit of a bitmap of {@code m} bits, {@code m} at least 8 times the hashes appended,
 * and {@code n = -m ln(zeros / m)}, within about 0.3% (one standard error) at that load. An exact hash
 * set did the same job with a random probe per hash into a table of 16 K longs per 256 KiB block, which
 * was cold in the cache after the previous block's compression: 45% of the sealer's Java samples at
 * 300,000 lines/s (BENCHMARKS.md, "Fifteenth wave"); appending is sequential and the bitmap a few KiB.
 */
public final class TokenHashes {
  private long[] hashes = new long[1024];
  private int size;
  private long[] sketch = new long[64];

  /** Forgets every hash: call with {@link Tokens#startBlock()}. */
  public void clear() {
    size = 0;
  }

  /** Hashes appended since {@link #clear()}, repeats included. */
  public int size() {
    return size;
  }

  void add(long hash) {
    if (size == hashes.length) hashes = Arrays.copyOf(hashes, 2 * size);
    hashes[size++] = hash;
  }

  /** The {@code i}-th hash appended. */
  long get(int i) {
    return hashes[i];
  }

  /** Longs this instance holds on to: what a pooled one pins. */
  long capacity() {
    return hashes.length + sketch.length;
  }

  /**
   * The number of distinct hashes, estimated (0 exactly when none was appended, otherwise between 1 and
   * {@link #size()}); the same hashes in the same order always give the same estimate.
   */
  public int distinctEstimate() {
    if (size == 0) return 0;
    // m = 8 * 2^ceil(log2(size)) bits, at least 4,096 (error ~1% for a handful of tokens): load at most
    // 1/8, so zeros never run out. At most 2^32 bits: a bit index is the hash's top bits as an int, which
    // the unsigned shifts below read as unsigned (blocks are far smaller: at most 2^25 tokens)
    int log2Bits = Math.min(32, Math.max(12, 3 + 64 - Long.numberOfLeadingZeros(size - 1L)));
    int words = 1 << (log2Bits - 6);
    if (sketch.length < words) sketch = new long[words];
    long[] bits = sketch;
    Arrays.fill(bits, 0, words, 0L);
    int shift = 64 - log2Bits;
    for (int i = 0; i < size; i++) {
      int b = (int) (hashes[i] >>> shift);
      bits[b >>> 6] |= 1L << b;
    }
    long ones = 0;
    for (int w = 0; w < words; w++) ones += Long.bitCount(bits[w]);
    double m = (double) words * 64;
    double estimate = -m * Math.log((m - ones) / m);
    return (int) Math.max(1, Math.min(size, Math.round(estimate)));
  }
}
