package io.lodge.querier.metric;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bookkeeping of one part of a split query ({@link SplitPlan}): which part it is, what it read (for
 * the query's statistics) and whether it should stop early. Counters are written by the one thread
 * evaluating the part and read by the coordinator after the part finished.
 */
final class PartControl {
  /** Shared by the parts of one query: the lowest index of a part that failed, or whether all must stop. */
  static final class Shared {
    private final AtomicInteger firstFailed = new AtomicInteger(Integer.MAX_VALUE);

    /** Records that part {@code index} failed; later parts stop, earlier ones finish (their error wins). */
    void failed(int index) {
      firstFailed.accumulateAndGet(index, Math::min);
    }

    /** Stops every part (the coordinator gave up: error, timeout, interruption). */
    void cancelAll() {
      firstFailed.set(-1);
    }

    boolean stops(int index) {
      return firstFailed.get() < index;
    }
  }

  /** Thrown inside a part that was stopped; never reaches the caller (an earlier failure is reported). */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("metric query part cancelled", null, false, false);
    }
  }

  private final Shared shared;
  private final int index;
  private final long previousLastStepNanos;
  private long lines;
  private long bytes;

  /**
   * Part {@code index}; {@code previousLastStepNanos} is the last step of the part before it
   * ({@link Long#MIN_VALUE} for the first), so that entries both parts read are counted once.
   */
  PartControl(Shared shared, int index, long previousLastStepNanos) {
    this.shared = shared;
    this.index = index;
    this.previousLastStepNanos = previousLastStepNanos;
  }

  /** The control of an unsplit evaluation. */
  static PartControl whole() {
    return new PartControl(new Shared(), 0, Long.MIN_VALUE);
  }

  /**
   * The timestamp up to which an evaluator with {@code offsetNanos} leaves counting to the earlier
   * parts: the end of the previous part's last window (every entry read at or below it by this part
   * sits in that window too, so the previous part counted it).
   */
  long countedBefore(long offsetNanos) {
    return previousLastStepNanos == Long.MIN_VALUE ? Long.MIN_VALUE : previousLastStepNanos - offsetNanos;
  }

  void processed(int lineBytes) {
    lines++;
    bytes += lineBytes;
  }

  /** {@code n} lines of {@code lineBytes} bytes in all, all processed. */
  void processed(long n, long lineBytes) {
    lines += n;
    bytes += lineBytes;
  }

  /** Lines the store dropped for pushed-down filters, which this part read but never saw. */
  void processedDropped(long droppedLines, long droppedBytes) {
    lines += droppedLines;
    bytes += droppedBytes;
  }

  /** Adds what a finished slice of this part's window read. */
  void absorb(PartControl slice) {
    lines += slice.lines;
    bytes += slice.bytes;
  }

  long lines() {
    return lines;
  }

  long bytes() {
    return bytes;
  }

  void failed() {
    shared.failed(index);
  }

  void checkCancelled() {
    if (shared.stops(index)) throw new Cancelled();
  }

  /** Waits for a task of the query until its deadline; gives up with the 504, or the 499 when interrupted. */
  static <T> T await(Future<T> f, long deadlineNanos) {
    try {
      return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw MetricEvaluationException.timeout();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw MetricEvaluationException.cancelled();
    } catch (ExecutionException e) {
      // the tasks catch every RuntimeException themselves, so this is an Error (out of memory, stack overflow)
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException("metric query task failed", e.getCause());
    }
  }
}
