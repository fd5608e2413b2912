package io.lodge.bench.load;

/** Where a sender gets the body of the push in a slot (the push's number in the run). */
interface BodySource extends AutoCloseable {
  /** The body for {@code slot}, or null when none is ready yet. */
  PushBody poll(long slot);

  /** The body for {@code slot}, waiting until one is ready. */
  PushBody take(long slot) throws InterruptedException;

  /** Stops the threads making bodies. */
  @Override
  void close() throws InterruptedException;
}
