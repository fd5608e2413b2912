package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Label;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The buffers {@link BlockBuilder#encode()} needs only while it runs: the token hashes, the column and
 * header sinks and the filter's bit array. A builder must stay small between encodes (a head keeps one
 * per open stream), so these do not live in the builder; allocating them per block instead cost more
 * bytes than the lines themselves (then a 64 K-slot token hash set, a data buffer grown twice). Encoders borrow
 * them from a small bounded pool, as {@link ZstdColumnCodec} does its contexts: the pool bounds the
 * memory they pin, and a buffer grown by one huge block is dropped rather than kept. None of these buffers
 * affects the encoded bytes, only how often they are allocated.
 *
 * <p>Encoding a column set ({@link BlockBuilder#encode(long[], int[], byte[], List, int)}) also borrows its
 * length and metadata-reference columns and the metadata dictionary from here, and {@link ChunkBlockCodec}
 * the gather buffers a block's lines are copied into when they are not in one array, or not sorted.
 */
final class EncodeScratch {
  private static final int POOL_SIZE = 4;
  /** Scratch that grew beyond this (one huge block) is left to the GC instead of pinned in the pool. */
  private static final long MAX_POOLED_BYTES = 8L << 20;
  private static final ArrayBlockingQueue<EncodeScratch> POOL = new ArrayBlockingQueue<>(POOL_SIZE);

  final Tokens tokens = new Tokens();
  final TokenHashes tokenHashes = new TokenHashes();
  final ByteSink timestamps = new ByteSink(1024);
  final ByteSink metadata = new ByteSink(256);
  final ByteSink data = new ByteSink(4096);
  final ByteSink head = new ByteSink(1024);
  /** The token filter's bit words; {@link TokenFilter#write} grows and clears it. */
  long[] filterBits = new long[256];
  final ByteSink lengths = new ByteSink(1024);
  final ByteSink metadataRefs = new ByteSink(1024);
  final Map<Label, Integer> dictIndex = new HashMap<>();
  final List<Label> dict = new ArrayList<>();
  // gather buffers (see ChunkBlockCodec): grown on demand, never shrunk while pooled
  private long[] sortedTs = new long[0];
  private int[] sortedEnds = new int[0];
  private byte[] gathered = new byte[0];
  private List<Label>[] sortedMetadata = newMetadataArray(0);

  private EncodeScratch() {}

  /** A cleared scratch from the pool, or a new one. */
  static EncodeScratch borrow() {
    EncodeScratch s = POOL.poll();
    if (s == null) s = new EncodeScratch();
    s.tokenHashes.clear();
    s.timestamps.reset();
    s.metadata.reset();
    s.data.reset();
    s.head.reset();
    s.lengths.reset();
    s.metadataRefs.reset();
    return s;
  }

  /** A buffer for at least {@code n} timestamps; its contents are the caller's until release. */
  long[] sortedTs(int n) {
    if (sortedTs.length < n) sortedTs = new long[grown(sortedTs.length, n)];
    return sortedTs;
  }

  int[] sortedEnds(int n) {
    if (sortedEnds.length < n) sortedEnds = new int[grown(sortedEnds.length, n)];
    return sortedEnds;
  }

  byte[] gathered(int n) {
    if (gathered.length < n) gathered = new byte[grown(gathered.length, n)];
    return gathered;
  }

  /** Metadata slots for {@code n} entries; the caller clears them ({@link #clearMetadata}) before release. */
  List<Label>[] sortedMetadata(int n) {
    if (sortedMetadata.length < n) sortedMetadata = newMetadataArray(grown(sortedMetadata.length, n));
    return sortedMetadata;
  }

  /** Drops the references to a block's metadata lists, so a pooled scratch pins no block's data. */
  void clearMetadata(int n) {
    java.util.Arrays.fill(sortedMetadata, 0, Math.min(n, sortedMetadata.length), null);
  }

  /** At least n, and at least 1.5 times the old size, so a few slightly bigger blocks do not reallocate each time. */
  private static int grown(int old, int n) {
    return (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(n, old + (old >> 1)));
  }

  @SuppressWarnings("unchecked")
  private static List<Label>[] newMetadataArray(int n) {
    return (List<Label>[]) new List<?>[n];
  }

  /** Returns a scratch to the pool unless the pool is full or the scratch grew too large to pin. */
  static void release(EncodeScratch s) {
    if (s.retainedBytes() <= MAX_POOLED_BYTES) POOL.offer(s);
  }

  private long retainedBytes() {
    return 8L * tokenHashes.capacity() + timestamps.capacity() + metadata.capacity() + data.capacity()
        + head.capacity() + 8L * filterBits.length + lengths.capacity() + metadataRefs.capacity()
        + 8L * sortedTs.length + 4L * sortedEnds.length + gathered.length + 4L * sortedMetadata.length;
  }
}
