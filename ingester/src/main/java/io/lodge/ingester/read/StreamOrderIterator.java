package io.lodge.ingester.read;

import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.head.EntrySnapshot;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a read stream after stream, for callers that need time order only within a stream
 * ({@link ReadHints#streamOrderOnly()}): each stream's sources (head blocks, the unsealed tail, chunks)
 * go through a {@link MergeIterator} of their own, which orders and de-duplicates them exactly as the
 * full merge does; duplicates only ever occur within a stream, so the entries returned are the same.
 *
 * <p>Why: a range aggregation over a thousand streams spent half its time in the thousand-way heap of
 * the full merge; a stream's own merge has a handful of sources, and most entries cost one compare.
 * Streams come in the order their first source was found (head streams, then the index's chunks); the
 * merge of a stream is built only when the previous one is exhausted.
 *
 * <p>{@link #nextBatch} goes further for a forward read without literals to search: a stream whose pieces
 * (blocks, unsealed tail) do not overlap in time needs no merge at all, and each block is handed out
 * whole, its columns (the timestamps too, when the block is not cut) left for the caller to ask for. A
 * count of 3 M entries spent a quarter of its time making virtual calls per entry and a sixth in the
 * stream merges' heaps.
 */
final class StreamOrderIterator implements EntryIterator {
  private final List<List<EntrySource>> streams;
  private final Direction direction;
  private final BlockScanner scanner;
  private final boolean blockBatches; // nextBatch may decode blocks itself (forward, no literals to search)
  private final boolean keepLines; // copied batches keep the lines
  private final long from;
  private final long to;
  private int nextStream;
  private MergeIterator current;
  private long doneOtherLines; // otherLines/otherBytes of the streams already exhausted
  private long doneOtherBytes;

  // nextBatch: the pieces of the current stream when none overlaps another (null: merging it, or none)
  private final DecodedBlock decoded = new DecodedBlock();
  private List<Piece> pieces;
  private int nextPiece;
  private LabelSet piecesLabels;
  private long batchLines; // lines (and bytes) handed out from pieces, for scannedLines()
  private long batchBytes;
  private int mode; // 0 unused yet, 1 next(), 2 nextBatch()

  /**
   * What a non-overlapping stream is cut into: a block (head or chunk), or the head's unsealed tail;
   * {@code min} and {@code max} bound its timestamps (inclusive).
   */
  private record Piece(BlockReader block, EntrySource.SnapshotRun tail, int order, long min, long max) {}

  private StreamOrderIterator(List<List<EntrySource>> streams, Direction direction, BlockScanner scanner,
      ReadHints hints, long from, long to) {
    this.streams = streams;
    this.direction = direction;
    this.scanner = scanner;
    this.blockBatches = hints != null && direction == Direction.FORWARD && hints.requiredLiterals().isEmpty();
    this.keepLines = hints == null || hints.needLines();
    this.from = from;
    this.to = to;
  }

  /** Groups {@code sources} by stream labels (keeping their order inside each stream). */
  static StreamOrderIterator of(List<EntrySource> sources, Direction direction, BlockScanner scanner) {
    return new StreamOrderIterator(group(sources), direction, scanner, null, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * As {@link #of(List, Direction, BlockScanner)}, for a read of {@code [from, to)} with {@code hints}:
   * {@link #nextBatch} may then decode blocks itself and hand them out whole.
   */
  static StreamOrderIterator of(List<EntrySource> sources, Direction direction, BlockScanner scanner, ReadHints hints,
      long from, long to) {
    return new StreamOrderIterator(group(sources), direction, scanner, hints, from, to);
  }

  private static List<List<EntrySource>> group(List<EntrySource> sources) {
    Map<LabelSet, List<EntrySource>> byStream = new LinkedHashMap<>();
    for (EntrySource s : sources) byStream.computeIfAbsent(s.labels, k -> new ArrayList<>(4)).add(s);
    return new ArrayList<>(byStream.values());
  }

  private void use(int m) {
    if (mode != m && mode != 0) throw new IllegalStateException("a read uses next() or nextBatch(), not both");
    mode = m;
  }

  @Override
  public boolean next() {
    use(1);
    while (true) {
      if (current != null) {
        if (current.next()) return true;
        finishMerge();
      }
      if (nextStream == streams.size()) return false;
      current = new MergeIterator(takeStream(), direction, null);
    }
  }

  private List<EntrySource> takeStream() {
    List<EntrySource> s = streams.get(nextStream);
    streams.set(nextStream++, null); // let the exhausted stream's sources go
    return s;
  }

  private void finishMerge() {
    doneOtherLines += current.otherLines();
    doneOtherBytes += current.otherBytes();
    current.close();
    current = null;
  }

  /**
   * A stream whose blocks and unsealed tail do not overlap in time holds no duplicate (the merge drops
   * only identical entries of equal timestamps from different sources), so its pieces are handed out one
   * after the other in time order, each block decoded here straight into a batch (timestamps only; the
   * other columns when the caller asks). A stream with overlapping pieces goes through its merge, as
   * {@link #next()} does, copied into batches.
   */
  @Override
  public boolean nextBatch(EntryBatch into) {
    if (!blockBatches) {
      use(1);
      return EntryIterator.super.nextBatch(into);
    }
    use(2);
    while (true) {
      if (current != null) {
        if (current.next()) {
          into.startCopy(current.labels());
          do {
            into.copy(current, keepLines);
          } while (!into.full() && current.next());
          // the merge is positioned past the batch: an exhausted one answers false again next time
          return true;
        }
        finishMerge();
      }
      while (pieces != null && nextPiece < pieces.size()) {
        if (emit(pieces.get(nextPiece++), into)) return true;
      }
      pieces = null;
      if (nextStream == streams.size()) return false;
      List<EntrySource> s = takeStream();
      pieces = plan(s);
      nextPiece = 0;
      if (pieces == null) {
        current = new MergeIterator(s, direction, null);
      } else {
        piecesLabels = s.get(0).labels;
      }
    }
  }

  /** The stream's pieces in time order, or null when two of them overlap (or a source is of another kind). */
  private static List<Piece> plan(List<EntrySource> sources) {
    List<Piece> out = new ArrayList<>();
    for (EntrySource s : sources) {
      if (s instanceof LazySources.Block b) {
        BlockReader r = b.reader();
        out.add(new Piece(r, null, s.order, r.minTimestamp(), r.maxTimestamp()));
      } else if (s instanceof LazySources.Chunk c) {
        for (BlockReader r : c.blocksInRange()) out.add(new Piece(r, null, s.order, r.minTimestamp(), r.maxTimestamp()));
      } else if (s instanceof EntrySource.SnapshotRun t) {
        if (t.isEmpty()) continue;
        long[] ts = t.snapshot().timestamps();
        out.add(new Piece(null, t, s.order, ts[t.rangeStart()], ts[t.rangeEnd() - 1]));
      } else {
        return null;
      }
    }
    out.sort((a, b) -> a.min != b.min ? Long.compare(a.min, b.min) : Long.compare(a.max, b.max));
    for (int i = 1; i < out.size(); i++) {
      Piece prev = out.get(i - 1), p = out.get(i);
      // the merge drops an entry equal to one of another source at the same time: pieces of different
      // sources must not share a timestamp; blocks of one chunk may (the merge keeps both), in time order
      if (p.min < prev.max || (p.min == prev.max && p.order != prev.order)) return null;
    }
    return out;
  }

  /** Puts the entries of {@code p} in the read's range into {@code into}; false when it has none. */
  private boolean emit(Piece p, EntryBatch into) {
    if (p.tail != null) {
      EntrySnapshot snap = p.tail.snapshot();
      into.startCopy(piecesLabels);
      for (int i = p.tail.rangeStart(); i < p.tail.rangeEnd(); i++) {
        into.add(snap.timestamps()[i], snap.lines()[i].length, keepLines ? snap.lines()[i] : null, metadataOf(snap, i));
      }
      batchLines += into.size();
      batchBytes += into.lineBytes();
      return true;
    }
    BlockReader b = p.block;
    DecodedBlock d = b.start(decoded);
    int n = b.entryCount();
    int lo = 0, hi = n;
    if (b.minTimestamp() < from || b.maxTimestamp() >= to) { // cut by the range: find where
      b.addTimestampColumn(d);
      lo = d.lowerBound(from);
      hi = d.lowerBound(to);
      if (lo >= hi) return false;
    }
    into.setBlock(piecesLabels, b, d, lo, hi);
    batchLines += hi - lo;
    batchBytes += into.lineBytes();
    return true;
  }

  private static List<Label> metadataOf(EntrySnapshot snap, int i) {
    List<Label> md = snap.metadata()[i];
    return md == null ? List.of() : md;
  }

  @Override
  public LabelSet labels() {
    return current.labels();
  }

  @Override
  public long timestampNanos() {
    return current.timestampNanos();
  }

  @Override
  public byte[] line() {
    return current.line();
  }

  @Override
  public int lineLength() {
    return current.lineLength();
  }

  @Override
  public List<Label> metadata() {
    return current.metadata();
  }

  @Override
  public long scannedLines() {
    return scanner.linesExamined() + doneOtherLines + batchLines + (current == null ? 0 : current.otherLines());
  }

  @Override
  public long scannedBytes() {
    return scanner.bytesExamined() + doneOtherBytes + batchBytes + (current == null ? 0 : current.otherBytes());
  }

  @Override
  public void close() {
    if (current != null) current.close();
    current = null;
    pieces = null;
    nextStream = streams.size();
  }
}
