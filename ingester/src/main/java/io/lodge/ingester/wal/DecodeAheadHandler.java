package io.lodge.ingester.wal;

import io.lodge.ingester.pool.ByteArrayPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A {@link RecordHandler} for replay that decodes push records on a helper thread, a few records ahead
 * of the thread that applies them. Replay is one thread reading, decoding and applying in WAL order;
 * decoding (varints, snappy, strings for labels) is a third of that and depends on
 * nothing but the record, so it overlaps with applying the previous records. Records are still applied
 * one at a time, in WAL order, on the replaying thread; a record that does not decode fails replay with
 * the decoder's exception, as decoding inline would, and no record after it is applied.
 *
 * <p>Use: pass to {@link WalReplay#replay}, then call {@link #finish()} (applies what is still queued)
 * and {@link #close()} (also on failure).
 */
public final class DecodeAheadHandler implements RecordHandler, AutoCloseable {
  /** What the applying thread does with each decoded record. */
  public interface Applier {
    void apply(WalPosition position, DecodedPush push) throws IOException;
  }

  private record Queued(WalPosition position, byte[] payload, Future<DecodedPush> push) {}

  private static final int MIN_POOLED = 1 << 12;
  private static final int MAX_POOLED = 1 << 23;

  private final Applier applier;
  private final int depth;
  private final ExecutorService decoder;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  /** Used only on the decoder's one thread. */
  private final RecordLabelCache labels = new RecordLabelCache();
  /**
   * The arrays records are read into and their kept bodies decompressed into, given back once a record
   * is applied: the lines are ranges of them, so a replay allocates no array per line and, after the first
   * few records, none per record either (young collections were most of a replay's pauses). Up to
   * {@code depth + 2} records are in use at once; each size keeps up to 32 idle, at most 16 MiB.
   */
  private final ByteArrayPool buffers = new ByteArrayPool(MIN_POOLED, MAX_POOLED, poolCaps());

  /** Decodes up to {@code depth} records ahead of {@code applier}. */
  public DecodeAheadHandler(int depth, Applier applier) {
    if (depth < 1) throw new IllegalArgumentException("depth must be at least 1, got " + depth);
    this.applier = applier;
    this.depth = depth;
    this.decoder = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "lodge-replay-decode");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void handle(WalPosition position, byte[] payload) throws IOException {
    handle(position, payload, payload.length);
  }

  @Override
  public byte[] payloadArray(int length) {
    return pooled(length);
  }

  @Override
  public void handle(WalPosition position, byte[] payload, int length) throws IOException {
    queue.add(new Queued(position, payload, decoder.submit(
        () -> PushRecordCodec.decode(payload, length, labels, this::pooled))));
    if (queue.size() > depth) applyOldest();
  }

  /** Applies every record still queued, in order. */
  public void finish() throws IOException {
    while (!queue.isEmpty()) applyOldest();
  }

  private void applyOldest() throws IOException {
    Queued q = queue.poll();
    DecodedPush push;
    try {
      push = q.push().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while replaying the WAL at " + q.position(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) throw io; // PushRecordDecodeException, unchanged
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new UncheckedIOException(new IOException("decoding the WAL record at " + q.position() + " failed", cause));
    }
    applier.apply(q.position(), push);
    // applied: nothing references its lines any more
    buffers.give(q.payload());
    if (push.body() != null) buffers.give(push.body());
  }

  /** An array of at least {@code length} bytes from {@link #buffers}: records and bodies alike. */
  private byte[] pooled(int length) {
    return buffers.take(buffers.roundUp(length));
  }

  private static int[] poolCaps() {
    int classes = Integer.numberOfTrailingZeros(MAX_POOLED) - Integer.numberOfTrailingZeros(MIN_POOLED) + 1;
    int[] caps = new int[classes];
    for (int c = 0; c < classes; c++) caps[c] = (int) Math.min(32L * (MIN_POOLED << c), 16 << 20);
    return caps;
  }

  /** Stops the helper thread; records not yet applied are dropped (replay failed or was finished). */
  @Override
  public void close() {
    queue.clear();
    decoder.shutdownNow();
  }
}
