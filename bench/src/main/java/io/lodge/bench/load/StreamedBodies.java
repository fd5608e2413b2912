package io.lodge.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Bodies encoded while the run sends: one thread per generator (each over its own streams) keeps a short
 * queue full, filled before the clock starts so the first second is not spent encoding. Senders take
 * whatever body is next, whatever their slot.
 */
final class StreamedBodies implements BodySource {
  private final BlockingQueue<PushBody> queue;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean generating = true;
  private volatile Throwable failure; // what stopped a generator thread: take() reports it instead of waiting

  StreamedBodies(List<PushBodyGenerator> generators, int capacity) throws InterruptedException {
    queue = new ArrayBlockingQueue<>(capacity);
    for (PushBodyGenerator gen : generators) {
      threads.add(Thread.ofPlatform().daemon().name("bench-generator").start(() -> {
        try {
          while (generating) queue.put(gen.next());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException | OutOfMemoryError e) {
          failure = e;
        }
      }));
    }
    while (queue.remainingCapacity() > 0 && threads.stream().allMatch(Thread::isAlive)) Thread.sleep(5);
  }

  @Override
  public PushBody poll(long slot) {
    return queue.poll();
  }

  @Override
  public PushBody take(long slot) throws InterruptedException {
    PushBody b;
    while ((b = queue.poll(100, TimeUnit.MILLISECONDS)) == null) {
      Throwable f = failure;
      if (f != null && threads.stream().noneMatch(Thread::isAlive)) {
        throw new IllegalStateException("generating push bodies failed: " + f, f);
      }
    }
    return b;
  }

  @Override
  public void close() throws InterruptedException {
    generating = false;
    for (Thread t : threads) t.interrupt();
    for (Thread t : threads) t.join();
  }
}
