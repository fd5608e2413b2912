package io.lodge.ingester.read;

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
 */
final class StreamOrderIterator implements EntryIterator {
  private final List<List<EntrySource>> streams;
  private final Direction direction;
  private final BlockScanner scanner;
  private int nextStream;
  private MergeIterator current;
  private long doneOtherLines; // otherLines/otherBytes of the streams already exhausted
  private long doneOtherBytes;

  private StreamOrderIterator(List<List<EntrySource>> streams, Direction direction, BlockScanner scanner) {
    this.streams = streams;
    this.direction = direction;
    this.scanner = scanner;
  }

  /** Groups {@code sources} by stream labels (keeping their order inside each stream). */
  static StreamOrderIterator of(List<EntrySource> sources, Direction direction, BlockScanner scanner) {
    Map<LabelSet, List<EntrySource>> byStream = new LinkedHashMap<>();
    for (EntrySource s : sources) byStream.computeIfAbsent(s.labels, k -> new ArrayList<>(4)).add(s);
    return new StreamOrderIterator(new ArrayList<>(byStream.values()), direction, scanner);
  }

  @Override
  public boolean next() {
    while (true) {
      if (current != null) {
        if (current.next()) return true;
        doneOtherLines += current.otherLines();
        doneOtherBytes += current.otherBytes();
        current.close();
        current = null;
      }
      if (nextStream == streams.size()) return false;
      List<EntrySource> s = streams.get(nextStream);
      streams.set(nextStream++, null); // let the exhausted stream's sources go
      current = new MergeIterator(s, direction, null);
    }
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
    return scanner.linesExamined() + doneOtherLines + (current == null ? 0 : current.otherLines());
  }

  @Override
  public long scannedBytes() {
    return scanner.bytesExamined() + doneOtherBytes + (current == null ? 0 : current.otherBytes());
  }

  @Override
  public void close() {
    if (current != null) current.close();
    current = null;
    nextStream = streams.size();
  }
}
