package io.lodge.ingester.model;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The compressed body a push was decoded from (a snappy block of a protobuf {@code PushRequest}), kept
 * until the WAL record is encoded so that the record can hold these bytes plus what validation changed,
 * instead of every line again (about a third of the bytes written and synced).
 *
 * <p>The body is in {@code [0, length)} of an array that goes back to its pool once used: exactly one
 * caller {@link #claim claims} it, copies what it needs and hands it to {@link #recycle}. A second claim
 * (the same request pushed twice) gets null and encodes the request without its body.
 */
public final class PushSource {
  private final AtomicReference<byte[]> array;
  private final int length;
  private final Consumer<byte[]> recycler;

  /** {@code recycler} takes the array back after its claimant is done with it. */
  public PushSource(byte[] array, int length, Consumer<byte[]> recycler) {
    if (length < 0 || length > array.length) {
      throw new IllegalArgumentException("body length " + length + " outside its array of " + array.length);
    }
    this.array = new AtomicReference<>(array);
    this.length = length;
    this.recycler = recycler;
  }

  /** The array holding the body, to the first caller only; null afterwards. */
  public byte[] claim() {
    return array.getAndSet(null);
  }

  /** The body's length in bytes. */
  public int length() {
    return length;
  }

  /** Gives a claimed array back to its pool; the claimant calls it once, when nothing reads it any more. */
  public void recycle(byte[] claimed) {
    recycler.accept(claimed);
  }
}
