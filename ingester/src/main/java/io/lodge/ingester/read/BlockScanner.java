package io.lodge.ingester.read;

import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.chunk.TokenFilter;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.Arrays;
import java.util.List;

/**
 * Turns blocks into the {@link BlockRun}s of one read, applying the read's {@link ReadHints}: a block
 * whose token filter rules out a required literal is skipped before anything is decompressed; a block
 * that may hold one is decoded into a scratch {@link DecodedBlock} (reused for every block of the read)
 * and only the lines in range that contain every literal are copied into the run. Without literals and
 * without {@code needLines}, only timestamps and line lengths are decompressed. Not thread-safe: one
 * per read.
 */
final class BlockScanner {
  private final boolean forward;
  private final long from;
  private final long to;
  private final long[] requiredHashes; // token-filter hashes the literals guarantee
  private final LiteralSearch[] searches; // longest first: the first one scans, the others confirm
  private final boolean needLines;
  private final boolean needMetadata;
  private final DecodedBlock scratch = new DecodedBlock();
  private int[] kept = new int[0];

  // what this read did, for statistics and tests
  private long blocksSkipped;
  private long blocksDecoded;
  private long linesExamined; // lines in range of the decoded blocks, kept or not
  private long bytesExamined;
  private long tokenSetsLearned;

  BlockScanner(ReadHints hints, long from, long to, boolean forward) {
    this.forward = forward;
    this.from = from;
    this.to = to;
    List<byte[]> lits = hints.requiredLiterals();
    long[] hashes = new long[0];
    this.searches = new LiteralSearch[lits.size()];
    for (int i = 0; i < lits.size(); i++) {
      byte[] lit = lits.get(i);
      long[] h = TokenFilter.literalHashes(lit, false);
      int n = hashes.length;
      hashes = Arrays.copyOf(hashes, n + h.length);
      System.arraycopy(h, 0, hashes, n, h.length);
      searches[i] = new LiteralSearch(lit);
    }
    Arrays.sort(searches, (a, b) -> Integer.compare(b.length(), a.length()));
    this.requiredHashes = hashes;
    // a literal search needs the lines whatever the caller reads
    this.needLines = hints.needLines() || searches.length > 0;
    this.needMetadata = hints.needMetadata();
  }

  /** Whether the block may hold lines with every required literal (its token filter says so). */
  boolean mayMatch(BlockReader block) {
    return mayMatch(block, null);
  }

  /**
   * Like {@link #mayMatch(BlockReader)}, asking the block's exact token set instead of its token filter
   * when one is known ({@code known} non-null).
   */
  boolean mayMatch(BlockReader block, BlockTokens known) {
    if (requiredHashes.length == 0) return true;
    boolean may = known != null ? known.containsAll(requiredHashes) : block.header().filter().mightContainAll(requiredHashes);
    if (!may) blocksSkipped++;
    return may;
  }

  /** Whether this read rules blocks out by their tokens (it has required literals with whole tokens). */
  boolean filtersByTokens() {
    return requiredHashes.length > 0;
  }

  /**
   * Whether some block of the cached chunk in this read's range may match (see
   * {@link #mayMatch(BlockReader, BlockTokens)}); when none may, they count as skipped. One tight loop
   * over every block of every cached chunk at select time, before the merge: the filter probes are
   * memory-bound, and independent probes in a row overlap their cache misses.
   */
  boolean mayMatchAny(ChunkCache.Blocks chunk) {
    List<BlockReader> blocks = chunk.readers();
    int inRange = 0;
    for (int i = 0; i < blocks.size(); i++) {
      BlockReader b = blocks.get(i);
      if (b.minTimestamp() >= to || b.maxTimestamp() < from) continue;
      inRange++;
      BlockTokens known = chunk.tokens(i);
      if (known != null ? known.containsAll(requiredHashes) : b.header().filter().mightContainAll(requiredHashes)) {
        return true;
      }
    }
    blocksSkipped += inRange;
    return false;
  }

  /** The block's kept entries as a run, or null when none is kept. */
  BlockRun scan(LabelSet labels, int order, BlockReader block) {
    return scan(labels, order, block, null, -1);
  }

  /**
   * Like {@link #scan(LabelSet, int, BlockReader)} for block {@code index} of a cached chunk
   * ({@code chunk} non-null): the block's learned token set, when known, stands in for its token
   * filter; when the block is decoded and none of its lines holds the literals (typically a false
   * positive of the filter), its exact token set is learned from the lines just decoded, so later
   * searches for absent tokens rule it out without decompressing it.
   */
  BlockRun scan(LabelSet labels, int order, BlockReader block, ChunkCache.Blocks chunk, int index) {
    if (!mayMatch(block, chunk == null ? null : chunk.tokens(index))) return null;
    blocksDecoded++;
    if (searches.length > 0 && block.minTimestamp() >= from && block.maxTimestamp() < to) {
      // wholly in range: search the lines first, and decode timestamps and metadata only on a match
      DecodedBlock d = block.readLines(scratch);
      int n = d.size();
      int[] offs = d.lineOffsets();
      linesExamined += n;
      bytesExamined += offs[n];
      if (searches[0].nextMatch(d.lineBytes(), offs, 0, n) >= n) {
        learnIfMisled(chunk, index, d);
        return null;
      }
      block.addTimestamps(d, needMetadata);
      BlockRun run = search(labels, order, d, 0, n);
      if (run == null) learnIfMisled(chunk, index, d);
      return run;
    }
    DecodedBlock d = block.readColumns(scratch, needLines, needMetadata);
    int lo = d.lowerBound(from);
    int hi = d.lowerBound(to);
    if (lo >= hi) return null;
    int[] offs = d.lineOffsets();
    linesExamined += hi - lo;
    bytesExamined += offs[hi] - offs[lo];
    if (searches.length == 0) return contiguous(labels, order, block, d, lo, hi);
    BlockRun run = search(labels, order, d, lo, hi);
    if (run == null) learnIfMisled(chunk, index, d);
    return run;
  }

  /**
   * Learns the exact token set of a decoded block ({@code d}, all of its lines: the set covers the whole
   * block whatever the range of this read) that this search decoded in vain: its token filter misled
   * the search, or the block holds the tokens but not the literal. Either way the set then rules the
   * block out for every absent token, without decompressing it. Only a search with token hashes learns:
   * a literal without a whole token (brute force) tells the filter nothing, and learning costs one
   * tokenising pass over the block, once per block.
   */
  private void learnIfMisled(ChunkCache.Blocks chunk, int index, DecodedBlock d) {
    if (chunk == null || requiredHashes.length == 0 || !chunk.canLearn(index)) return;
    if (d.size() != chunk.readers().get(index).entryCount()) return; // not every line decoded: cannot learn
    tokenSetsLearned++;
    chunk.learn(index, BlockTokens.of(d));
  }

  /** The entries of {@code [lo, hi)} containing every literal, or null when none does. */
  private BlockRun search(LabelSet labels, int order, DecodedBlock d, int lo, int hi) {
    int[] offs = d.lineOffsets();
    byte[] buf = d.lineBytes();
    if (kept.length < hi - lo) kept = new int[Math.max(hi - lo, kept.length * 2)];
    int n = 0;
    LiteralSearch first = searches[0];
    for (int i = first.nextMatch(buf, offs, lo, hi); i < hi; i = first.nextMatch(buf, offs, i + 1, hi)) {
      if (containsOthers(buf, offs[i], offs[i + 1] - offs[i])) kept[n++] = i;
      if (i + 1 >= hi) break;
    }
    if (n == 0) return null;
    long[] ts = new long[n];
    int[] o = new int[n + 1];
    int bytes = 0;
    for (int k = 0; k < n; k++) {
      int i = kept[k];
      ts[k] = d.timestamp(i);
      bytes += offs[i + 1] - offs[i];
      o[k + 1] = bytes;
    }
    byte[] lines = new byte[bytes];
    for (int k = 0; k < n; k++) {
      int i = kept[k];
      System.arraycopy(buf, offs[i], lines, o[k], o[k + 1] - o[k]);
    }
    List<Label>[] meta = null;
    if (needMetadata && d.anyMetadata()) {
      meta = newMetadataArray(n);
      for (int k = 0; k < n; k++) meta[k] = d.metadata(kept[k]);
    }
    return new BlockRun(labels, order, ts, lines, o, meta, n, forward, null, 0);
  }

  private boolean containsOthers(byte[] buf, int off, int len) {
    for (int s = 1; s < searches.length; s++) {
      if (!searches[s].contains(buf, off, len)) return false;
    }
    return true;
  }

  /** Every entry of {@code [lo, hi)}: the columns are copied in bulk. */
  private BlockRun contiguous(LabelSet labels, int order, BlockReader block, DecodedBlock d, int lo, int hi) {
    int n = hi - lo;
    long[] ts = Arrays.copyOfRange(d.timestamps(), lo, hi);
    int[] offs = d.lineOffsets();
    int base = offs[lo];
    int[] o = new int[n + 1];
    for (int k = 0; k <= n; k++) o[k] = offs[lo + k] - base;
    byte[] lines = needLines ? Arrays.copyOfRange(d.lineBytes(), base, offs[hi]) : null;
    List<Label>[] meta = null;
    if (needMetadata && d.anyMetadata()) {
      meta = newMetadataArray(n);
      for (int k = 0; k < n; k++) meta[k] = d.metadata(lo + k);
    }
    return new BlockRun(labels, order, ts, lines, o, meta, n, forward, needLines ? null : block, lo);
  }

  @SuppressWarnings("unchecked")
  private static List<Label>[] newMetadataArray(int n) {
    return (List<Label>[]) new List<?>[n];
  }

  long blocksSkipped() {
    return blocksSkipped;
  }

  long blocksDecoded() {
    return blocksDecoded;
  }

  long linesExamined() {
    return linesExamined;
  }

  long bytesExamined() {
    return bytesExamined;
  }

  long tokenSetsLearned() {
    return tokenSetsLearned;
  }
}
