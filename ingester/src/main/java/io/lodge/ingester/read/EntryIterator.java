package io.lodge.ingester.read;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.List;

/**
 * A cursor over log entries in time order. Call {@link #next()} before reading; the accessors describe
 * the current entry and stay valid until the next call. Always close it: it may hold decompressed
 * blocks and open chunk objects.
 */
public interface EntryIterator extends AutoCloseable {
  boolean next();

  LabelSet labels();

  long timestampNanos();

  /**
   * The line bytes (UTF-8); the caller must not modify the array and must copy it to keep it. Empty
   * when the request's hints said the lines are not needed ({@link ReadHints#needLines()}).
   */
  byte[] line();

  /** The line's length in bytes, also when the line itself was not read. */
  default int lineLength() {
    return line().length;
  }

  List<Label> metadata();

  /**
   * Moves to the next entries of one stream and describes them in {@code into} (the caller's, reused from
   * call to call): a whole decoded block at a time where the iterator can, so that counting loops run over
   * arrays. False at the end. Entries come in the same order and with the same de-duplication as from
   * {@link #next()}. A read uses either this or {@link #next()}, never both. This default hands out one
   * entry per batch.
   */
  default boolean nextBatch(EntryBatch into) {
    if (!next()) return false;
    into.startCopy(labels());
    into.copy(this, true);
    return true;
  }

  /**
   * Lines (and their bytes) the read has examined so far, including those it dropped itself because of
   * the request's {@link ReadHints} (a line without a required literal): what query statistics call
   * "processed". A caller that sees every line it reads can count them itself; iterators that drop
   * nothing may answer -1.
   */
  default long scannedLines() {
    return -1;
  }

  /** The bytes of the lines of {@link #scannedLines()}; -1 when not counted. */
  default long scannedBytes() {
    return -1;
  }

  @Override
  void close();
}
