package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Hash64;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A block's bloom filter over the tokens of its lines (see {@link Tokens} for what a token is), read in
 * place from the block bytes so a search can skip a block without decompressing it. No false negatives:
 * every token of every line answers true, in any ASCII case (tokens are stored lower-cased). Sized for about 1% false
 * positives: {@value #BITS_PER_TOKEN} bits per distinct token (as estimated by {@link TokenHashes}),
 * {@value #HASH_COUNT} probes.
 *
 * <pre>
 * varint  k           number of probes (0 when the block has no tokens)
 * varint  words       number of 64-bit words (0 when the block has no tokens)
 * u64[words] LE       the bits; bit b is (word[b / 64] >>> (b % 64)) & 1
 * probe i of token t: h = XXH64(ASCII-lower-case(t)), step = rotl(h, 32) | 1, bit = unsigned(h + i * step) mod (64 * words)
 * </pre>
 *
 * <p>Searching: {@link #literalHashes} turns a needle into the hashes it guarantees once per query, and
 * {@link #mightContainAll} tests them per block with no allocation.
 */
public final class TokenFilter {
  static final double BITS_PER_TOKEN = 9.6;
  static final int HASH_COUNT = 7;
  private static final int MAX_HASH_COUNT = 32;
  private static final long[] NONE = new long[0];
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] buf;
  private final int wordsOffset;
  private final int words;
  private final int k;

  private TokenFilter(byte[] buf, int wordsOffset, int words, int k) {
    this.buf = buf;
    this.wordsOffset = wordsOffset;
    this.words = words;
    this.k = k;
  }

  /** Writes a filter holding {@code hashes} in the format above. */
  static void write(TokenHashes hashes, ByteSink out) {
    write(hashes, out, new long[0]);
  }

  /**
   * Like {@link #write(TokenHashes, ByteSink)}, building the bits in {@code scratch} (cleared here) when it
   * is large enough; returns the array used, for the caller to keep for the next block. The filter is
   * sized for the estimated number of distinct hashes ({@link TokenHashes#distinctEstimate()}); every
   * hash appended is set, repeats setting the same bits again.
   */
  static long[] write(TokenHashes hashes, ByteSink out, long[] scratch) {
    int n = hashes.distinctEstimate();
    if (n == 0) {
      out.writeVarInt(0);
      out.writeVarInt(0);
      return scratch;
    }
    int words = (int) Math.min(Integer.MAX_VALUE / 16, (long) Math.ceil(n * BITS_PER_TOKEN / 64));
    long[] bits = scratch.length >= words ? scratch : new long[Math.max(words, 2 * scratch.length)];
    Arrays.fill(bits, 0, words, 0L);
    UnsignedModulo m = new UnsignedModulo(64L * words);
    for (int j = 0, size = hashes.size(); j < size; j++) {
      long h = hashes.get(j);
      long step = Long.rotateLeft(h, 32) | 1L;
      long x = h;
      for (int i = 0; i < HASH_COUNT; i++, x += step) {
        long b = m.mod(x);
        bits[(int) (b >>> 6)] |= 1L << b;
      }
    }
    out.writeVarInt(HASH_COUNT);
    out.writeVarInt(words);
    out.ensure(8 * words);
    for (int i = 0; i < words; i++) out.writeLongLE(bits[i]);
    return bits;
  }

  /** Reads the filter at the source's position and leaves the source after it; the bits stay in place. */
  static TokenFilter read(ByteSource src) {
    int k = src.readVarInt("token filter probe count", 0, MAX_HASH_COUNT);
    int words = src.readVarInt("token filter word count", 0, src.remaining() / 8);
    if ((k == 0) != (words == 0)) {
      throw src.error("token filter", "probes and words both zero or both positive", k + " probes, " + words + " words");
    }
    int at = src.skip("token filter bits", 8 * words);
    return new TokenFilter(src.array(), at, words, k);
  }

  /** The size of the bit array in bytes. */
  public int sizeBytes() {
    return 8 * words;
  }

  /** Number of probes per token (0 for a block without tokens). */
  public int hashCount() {
    return k;
  }

  /** True when a token with XXH64 {@code h} may occur. */
  public boolean mightContainHash(long h) {
    if (words == 0) return false;
    long m = 64L * words;
    long step = Long.rotateLeft(h, 32) | 1L;
    long x = h;
    for (int i = 0; i < k; i++, x += step) {
      long b = Long.remainderUnsigned(x, m);
      long w = (long) LONG_LE.get(buf, wordsOffset + 8 * (int) (b >>> 6));
      if ((w & (1L << b)) == 0) return false;
    }
    return true;
  }

  /** True when every hash may occur (so true for none): the per-block test of a prepared needle. */
  public boolean mightContainAll(long[] hashes) {
    for (long h : hashes) if (!mightContainHash(h)) return false;
    return true;
  }

  /**
   * True when some line may contain {@code token} as a whole token. Anything that is not exactly one
   * token (empty, or holding separator bytes) answers true: the filter cannot rule it out.
   */
  public boolean mightContainToken(byte[] token) {
    if (!isSingleToken(token)) return true;
    return mightContainHash(Hash64.xxh64LowerAscii(token, 0, token.length));
  }

  /** Like {@link #mightContainToken} ignoring ASCII case; tokens with non-ASCII bytes answer true. */
  public boolean mightContainTokenIgnoreCase(byte[] token) {
    if (!isSingleToken(token)) return true;
    for (byte b : token) if (b < 0) return true;
    return mightContainHash(Hash64.xxh64LowerAscii(token, 0, token.length));
  }

  /** True when some line may contain {@code literal} as a substring. */
  public boolean mightContainLiteral(byte[] literal) {
    return mightContainAll(literalHashes(literal, false));
  }

  /** True when some line may contain {@code literal} as a substring, ignoring ASCII case. */
  public boolean mightContainLiteralIgnoreCase(byte[] literal) {
    return mightContainAll(literalHashes(literal, true));
  }

  /**
   * The hashes of the tokens a line must contain if it contains {@code literal}: only tokens with a
   * separator on both sides inside the literal count, because a literal's first and last runs may be
   * parts of longer tokens ({@code "rror 5"} guarantees nothing; {@code "error 500 at"} guarantees
   * {@code 500}). Tokens are lower-cased (ASCII) as in the filter; with {@code ignoreCase} those with
   * non-ASCII bytes are left out, since a line may hold another case form of their non-ASCII letters.
   * Compute once per query.
   */
  public static long[] literalHashes(byte[] literal, boolean ignoreCase) {
    long[] out = NONE;
    int n = 0;
    int len = literal.length;
    int i = 0;
    while (i < len) {
      while (i < len && !Tokens.isTokenByte(literal[i])) i++;
      int s = i;
      boolean ascii = true;
      while (i < len && Tokens.isTokenByte(literal[i])) {
        if (literal[i] < 0) ascii = false;
        i++;
      }
      if (s == i || s == 0 || i == len) continue; // no token, or not bounded by separators in the literal
      if (ignoreCase && !ascii) continue;
      long h = Hash64.xxh64LowerAscii(literal, s, i - s);
      if (n == out.length) out = Arrays.copyOf(out, Math.max(4, n * 2));
      out[n++] = h;
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenFilter f && f.k == k && f.words == words
        && Arrays.equals(buf, wordsOffset, wordsOffset + 8 * words, f.buf, f.wordsOffset, f.wordsOffset + 8 * words);
  }

  @Override
  public int hashCode() {
    int h = 31 * k + words;
    for (int i = 0; i < 8 * words; i++) h = 31 * h + buf[wordsOffset + i];
    return h;
  }

  @Override
  public String toString() {
    return "TokenFilter[" + k + " probes, " + (64L * words) + " bits]";
  }

  private static boolean isSingleToken(byte[] t) {
    if (t.length == 0) return false;
    for (byte b : t) if (!Tokens.isTokenByte(b)) return false;
    return true;
  }
}
