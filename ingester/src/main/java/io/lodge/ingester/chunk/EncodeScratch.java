package io.lodge.ingester.chunk;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * The buffers {@link BlockBuilder#encode()} needs only while it runs: the token set, the column and
 * header sinks and the filter's bit array. A builder must stay small between encodes (a head keeps one
 * per open stream), so these do not live in the builder; allocating them per block instead cost more
 * bytes than the lines themselves (a 64 K-slot hash table, a data buffer grown twice). Encoders borrow
 * them from a small bounded pool, as {@link ZstdColumnCodec} does its contexts: the pool bounds the
 * memory they pin, and a set grown by one huge block is dropped rather than kept. None of these buffers
 * affects the encoded bytes, only how often they are allocated.
 */
final class EncodeScratch {
  private static final int POOL_SIZE = 4;
  /** Scratch that grew beyond this (one huge block) is left to the GC instead of pinned in the pool. */
  private static final long MAX_POOLED_BYTES = 8L << 20;
  private static final ArrayBlockingQueue<EncodeScratch> POOL = new ArrayBlockingQueue<>(POOL_SIZE);

  final Tokens tokens = new Tokens();
  final LongHashSet tokenHashes = new LongHashSet(16);
  final ByteSink timestamps = new ByteSink(1024);
  final ByteSink metadata = new ByteSink(256);
  final ByteSink data = new ByteSink(4096);
  final ByteSink head = new ByteSink(1024);
  /** The token filter's bit words; {@link TokenFilter#write} grows and clears it. */
  long[] filterBits = new long[256];

  private EncodeScratch() {}

  /** A cleared scratch from the pool, or a new one, its token set sized for {@code expectedTokens}. */
  static EncodeScratch borrow(int expectedTokens) {
    EncodeScratch s = POOL.poll();
    if (s == null) s = new EncodeScratch();
    s.tokenHashes.clear(expectedTokens);
    s.timestamps.reset();
    s.metadata.reset();
    s.data.reset();
    s.head.reset();
    return s;
  }

  /** Returns a scratch to the pool unless the pool is full or the scratch grew too large to pin. */
  static void release(EncodeScratch s) {
    if (s.retainedBytes() <= MAX_POOLED_BYTES) POOL.offer(s);
  }

  private long retainedBytes() {
    return 8L * tokenHashes.capacity() + timestamps.capacity() + metadata.capacity() + data.capacity()
        + head.capacity() + 8L * filterBits.length;
  }
}
