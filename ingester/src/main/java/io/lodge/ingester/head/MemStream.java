package io.lodge.ingester.head;

import io.lodge.ingester.model.EntryBatch;
import io.lodge.ingester.model.Hash64;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One stream in the head: its ordering state (for Loki's out-of-order window and duplicate rule), its
 * unsealed entries, its sealed blocks and the blocks being flushed. Entries are applied only by the WAL
 * thread, in WAL order; the flusher cuts and readers snapshot under the same monitor.
 */
public final class MemStream {
  private final String tenant;
  private final LabelSet labels;
  private final long createdWallNanos;

  // ordering state; decides what is accepted, so replay must rebuild it exactly
  private long highestTs = Long.MIN_VALUE;
  private long lastTs = Long.MIN_VALUE;
  /** A copy of the last accepted line, in its first {@link #lastLineLength} bytes (batches' lines are not kept). */
  private byte[] lastLine;
  private int lastLineLength;
  private long lastLineHash;
  private boolean lastLineHashOnly;

  // the byte sizes of the last two metadata lists seen, by identity: entries share a few lists (one per
  // detected level), and a stream's entries mostly one or two of them
  private List<Label> sizedList;
  private long sizedBytes;
  private List<Label> olderSizedList;
  private long olderSizedBytes;

  private OpenBlock open = new OpenBlock();
  /** Raw bytes of {@link #open} already added to {@link #budget}. */
  private long openCounted;
  private final OpenBudget budget;
  private final List<HeadBlock> sealed = new ArrayList<>(); // frozen blocks, compressed or being compressed
  private final List<SealedBlock> flushing = new ArrayList<>();
  private long lastSegment = -1;
  private long lastOffset = -1;
  private long firstUnflushedSegment = -1;
  private long chunkStartWallNanos = -1;
  private long lastAppendWallNanos;
  private boolean retired;

  MemStream(String tenant, LabelSet labels, long wallNanos) {
    this(tenant, labels, wallNanos, OpenBudget.UNLIMITED);
  }

  MemStream(String tenant, LabelSet labels, long wallNanos, OpenBudget budget) {
    this.budget = budget;
    this.tenant = tenant;
    this.labels = labels;
    this.createdWallNanos = wallNanos;
    this.lastAppendWallNanos = wallNanos;
  }

  public String tenant() {
    return tenant;
  }

  public LabelSet labels() {
    return labels;
  }

  /** Restores ordering state from a flush mark (replay only). */
  synchronized void restore(StreamMark mark) {
    highestTs = mark.highestTs();
    lastTs = mark.lastTs();
    lastLine = null;
    lastLineHash = mark.lastLineHash();
    lastLineHashOnly = true;
  }

  /**
   * Applies the entries of one WAL record in order; returns the entries refused as too far behind (the
   * caller reports them). Exact duplicates of the previous entry are dropped silently and counted in
   * {@code result}. Returns false when the stream was retired and the caller must use a fresh one.
   */
  synchronized boolean append(EntryBatch entries, long segment, long offset, AppendContext ctx, ApplyResult.Stream result) {
    if (retired) return false;
    // smaller pages while blocks are sealed early (not during replay, when they are not)
    long pageTarget = budget.pageTarget(ctx.blockSizeBytes());
    if (pageTarget != ctx.blockSizeBytes() && ctx.sealer().holding()) pageTarget = ctx.blockSizeBytes();
    int lastAccepted = -1; // in this batch: compared in place, copied once at the end
    for (int i = 0, count = entries.size(); i < count; i++) {
      long ts = entries.timestampNanos(i);
      byte[] line = entries.lineArray(i);
      int off = entries.lineOffset(i);
      int len = entries.lineLength(i);
      List<Label> md = entries.metadata(i);
      long entryBytes = len + metadataBytes(md);
      if (highestTs != Long.MIN_VALUE && ts < highestTs - ctx.outOfOrderWindowNanos()) {
        result.tooFarBehind(ts, highestTs - ctx.outOfOrderWindowNanos(), entryBytes);
        continue;
      }
      if (ts == lastTs
          && (lastAccepted >= 0 ? sameLine(entries, lastAccepted, line, off, len) : sameAsLastLine(line, off, len))) {
        result.duplicate(entryBytes);
        continue;
      }
      if (open.count() == 0 && sealed.isEmpty() && chunkStartWallNanos < 0) chunkStartWallNanos = ctx.wallNanos();
      open.append(ts, line, off, len, md, entryBytes, pageTarget);
      if (ts > highestTs) highestTs = ts;
      lastTs = ts;
      lastAccepted = i;
      result.accepted(entryBytes);
      if (open.rawBytes() >= ctx.blockSizeBytes()) {
        HeadBlock full = freezeOpen();
        ctx.sealer().submit(full); // compression happens off the WAL thread
      }
    }
    if (lastAccepted >= 0) keepLastLine(entries, lastAccepted);
    long openBytes = open.rawBytes();
    budget.add(openBytes - openCounted);
    openCounted = openBytes;
    // not during replay: the sealer keeps frozen blocks raw then, so sealing early would only split them
    if (budget.sealEarly(openBytes) && !ctx.sealer().holding()) {
      budget.sealedEarly();
      ctx.sealer().submit(freezeOpen());
    }
    if (firstUnflushedSegment < 0) firstUnflushedSegment = segment;
    lastSegment = segment;
    lastOffset = offset;
    lastAppendWallNanos = ctx.wallNanos();
    return true;
  }

  /** {@link LogEntry#metadataBytes}, remembered for the last two lists seen. */
  private long metadataBytes(List<Label> md) {
    if (md.isEmpty()) return 0;
    if (md == sizedList) return sizedBytes;
    if (md == olderSizedList) return olderSizedBytes;
    long bytes = LogEntry.metadataBytes(md);
    olderSizedList = sizedList;
    olderSizedBytes = sizedBytes;
    sizedList = md;
    sizedBytes = bytes;
    return bytes;
  }

  private boolean sameAsLastLine(byte[] line, int off, int len) {
    if (lastLineHashOnly) return Hash64.xxh64(line, off, len) == lastLineHash;
    return lastLine != null && Arrays.equals(lastLine, 0, lastLineLength, line, off, off + len);
  }

  private static boolean sameLine(EntryBatch entries, int i, byte[] line, int off, int len) {
    int start = entries.lineOffset(i);
    return Arrays.equals(entries.lineArray(i), start, start + entries.lineLength(i), line, off, off + len);
  }

  /** Copies entry {@code i}'s line into {@link #lastLine}, reusing its array unless far too big or small. */
  private void keepLastLine(EntryBatch entries, int i) {
    int len = entries.lineLength(i);
    if (lastLine == null || lastLine.length < len || (lastLine.length > 1024 && len < lastLine.length / 4)) {
      lastLine = new byte[Math.max(len, 64)];
    }
    System.arraycopy(entries.lineArray(i), entries.lineOffset(i), lastLine, 0, len);
    lastLineLength = len;
    lastLineHashOnly = false;
  }

  private HeadBlock freezeOpen() {
    budget.add(-openCounted);
    openCounted = 0;
    HeadBlock b = new HeadBlock(open, tenant, labels);
    sealed.add(b);
    open = new OpenBlock();
    return b;
  }

  /**
   * Gives back the line pages of the entries not sealed yet (the open block and frozen raw blocks), for a
   * head that is closing: the WAL holds those entries for the next start. Readable no more afterwards.
   */
  synchronized void releasePages() {
    if (open.count() > 0) {
      budget.add(-openCounted);
      openCounted = 0;
      open.recycle(); // under the stream's lock: no reader holds the open block's pages
      open = new OpenBlock();
    }
    for (HeadBlock b : sealed) if (b.sealedOrNull() == null) b.discard();
  }

  /** Bytes this stream holds in memory (compressed blocks, plus the arrays of raw unsealed entries). */
  public synchronized long memoryBytes() {
    long n = open.retainedBytes();
    for (HeadBlock b : sealed) n += b.memoryBytes();
    for (SealedBlock b : flushing) n += b.compressedBytes();
    return n;
  }

  /**
   * Bytes of the blocks already frozen (compressed, or estimated compressed while waiting for the sealer)
   * and being flushed: what cutting this stream frees without compressing its open block.
   */
  synchronized long frozenBytes() {
    long n = 0;
    for (HeadBlock b : sealed) n += b.compressedEstimate();
    for (SealedBlock b : flushing) n += b.compressedBytes();
    return n;
  }

  /** Why this stream should be cut now, or null. */
  synchronized CutReason cutReason(FlushPolicy policy, long wallNanos) {
    if (open.count() == 0 && sealed.isEmpty()) {
      // an emptied stream (all cut before) still leaves the head once idle, so memory follows active streams
      boolean idleAndEmpty = !retired && flushing.isEmpty() && wallNanos - lastAppendWallNanos >= policy.idleNanos();
      return idleAndEmpty ? CutReason.IDLE : null;
    }
    if (policy.force()) return CutReason.FORCED;
    if (wallNanos - lastAppendWallNanos >= policy.idleNanos()) return CutReason.IDLE;
    if (wallNanos - chunkStartWallNanos >= policy.maxAgeNanos()) return CutReason.MAX_AGE;
    long compressed = open.rawBytes() / 4;
    for (HeadBlock b : sealed) compressed += b.compressedEstimate();
    if (compressed >= policy.targetCompressedBytes()) return CutReason.FULL;
    if (policy.walSegmentBelow() >= 0 && firstUnflushedSegment >= 0 && firstUnflushedSegment < policy.walSegmentBelow()) {
      return CutReason.WAL_PRESSURE;
    }
    return null;
  }

  /**
   * Seals the open entries and moves every sealed block to the flushing list; they stay readable until
   * {@link #flushed} is called after the index commit. An idle stream is retired: later appends for
   * its labels go to a fresh stream.
   */
  synchronized Cut cut(CutReason reason, BlockCodec codec, SealCounts counts) {
    if (open.count() > 0) freezeOpen();
    List<SealedBlock> blocks = new ArrayList<>(sealed.size());
    // waits for nobody: seals inline what is left
    for (HeadBlock b : sealed) blocks.add(b.seal(codec, counts, SealCounts.Where.FLUSH));
    flushing.addAll(blocks);
    sealed.clear();
    boolean retire = reason == CutReason.IDLE || reason == CutReason.FORCED_RETIRE;
    if (retire) retired = true;
    StreamMark mark = new StreamMark(lastSegment, lastOffset, retire, highestTs, lastTs,
        lastLine == null ? lastLineHash : Hash64.xxh64(lastLine, 0, lastLineLength));
    long cutFirstSegment = firstUnflushedSegment;
    firstUnflushedSegment = -1;
    chunkStartWallNanos = -1;
    return new Cut(this, blocks, mark, reason, cutFirstSegment);
  }

  /** Drops blocks that are now in committed chunks. */
  synchronized void flushed(List<SealedBlock> blocks) {
    flushing.removeAll(blocks);
  }

  /** Puts blocks of a failed flush back so that they are retried and stay readable. */
  synchronized void unflushed(List<SealedBlock> blocks, long cutFirstSegment) {
    // they are still in the flushing list; move them back in front of newer blocks
    flushing.removeAll(blocks);
    List<HeadBlock> back = new ArrayList<>(blocks.size());
    for (SealedBlock b : blocks) back.add(new HeadBlock(b));
    sealed.addAll(0, back);
    if (cutFirstSegment >= 0 && (firstUnflushedSegment < 0 || cutFirstSegment < firstUnflushedSegment)) {
      firstUnflushedSegment = cutFirstSegment;
    }
    if (chunkStartWallNanos < 0) chunkStartWallNanos = lastAppendWallNanos;
  }

  synchronized boolean isRetired() {
    return retired;
  }

  /** True when a retired stream has nothing left to serve. */
  synchronized boolean isEmpty() {
    return open.count() == 0 && sealed.isEmpty() && flushing.isEmpty();
  }

  /** The lowest WAL segment holding entries of this stream not yet in committed chunks, or -1. */
  synchronized long firstUnflushedSegment() {
    return firstUnflushedSegment;
  }

  /** A consistent view of the stream's data overlapping [from, to) for a reader. */
  public synchronized Snapshot snapshot(long fromNanos, long toNanos) {
    List<SealedBlock> blocks = new ArrayList<>();
    List<EntrySnapshot> raw = new ArrayList<>();
    for (SealedBlock b : flushing) if (b.overlaps(fromNanos, toNanos)) blocks.add(b);
    for (HeadBlock b : sealed) {
      if (!b.overlaps(fromNanos, toNanos)) continue;
      EntrySnapshot r = b.rawSnapshot();
      SealedBlock sb;
      if (r != null) {
        raw.add(r);
      } else if ((sb = b.sealedOrNull()) != null) { // null only once discarded by a closing head
        blocks.add(sb);
      }
    }
    if (open.count() > 0 && open.minTs() < toNanos && open.maxTs() >= fromNanos) raw.add(open.sortedSnapshot());
    return new Snapshot(labels, blocks, raw);
  }

  /** Min and max timestamps held (Long.MAX/MIN_VALUE when empty). */
  public synchronized long[] bounds() {
    long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
    for (SealedBlock b : flushing) {
      min = Math.min(min, b.minTs());
      max = Math.max(max, b.maxTs());
    }
    for (HeadBlock b : sealed) {
      min = Math.min(min, b.minTs());
      max = Math.max(max, b.maxTs());
    }
    if (open.count() > 0) {
      min = Math.min(min, open.minTs());
      max = Math.max(max, open.maxTs());
    }
    return new long[] {min, max};
  }

  /** Entry and raw byte counts held, for index stats. */
  public synchronized long[] counts() {
    long entries = open.count(), bytes = open.rawBytes();
    for (SealedBlock b : flushing) {
      entries += b.count();
      bytes += b.rawBytes();
    }
    for (HeadBlock b : sealed) {
      entries += b.count();
      bytes += b.rawBytes();
    }
    return new long[] {entries, bytes};
  }

  long createdWallNanos() {
    return createdWallNanos;
  }

  /** A reader's view: compressed blocks (decode lazily) and sorted runs of entries not compressed yet. */
  public record Snapshot(LabelSet labels, List<SealedBlock> blocks, List<EntrySnapshot> raw) {}

  /** The blocks taken out of a stream by one cut, and the replay mark they establish. */
  public record Cut(MemStream stream, List<SealedBlock> blocks, StreamMark mark, CutReason reason,
      long firstSegment) {}
}
