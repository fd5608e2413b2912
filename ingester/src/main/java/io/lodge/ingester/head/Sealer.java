package io.lodge.ingester.head;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compresses frozen head blocks (full, or sealed early by the {@link OpenBudget}) off the WAL thread, so
 * that applying records never waits for zstd. When more than {@code maxPending} blocks holding at least
 * {@code maxPendingRawBytes} of raw entries wait, the caller seals inline: the WAL thread slows down
 * instead of raw blocks piling up in memory. (Counting bytes too keeps small early-sealed blocks from
 * forcing inline sealing at an eighth of the backlog full blocks would.) It then also seals the queued
 * blocks of its block's affinity, while that line dictionary is in the caches.
 *
 * <p>Sealing threads take blocks in batches: after the first, a thread waits up to {@value #LINGER_MILLIS}
 * ms for up to {@value #BATCH} blocks, then seals them ordered by the codec's {@link BlockCodec#affinity}
 * (stable, so a stream's blocks keep their order). With a thousand streams of a few services, blocks of
 * one service then follow each other and its lines dictionary stays in the CPU caches: zstd took 0.27
 * instead of 0.42 s per million lines in runs of four (BENCHMARKS.md, "Contiguous dictionary window").
 * Raw blocks are readable meanwhile; the wait only delays when their memory shrinks.
 *
 * <p>During WAL replay the sealer can be put on {@link #hold}: full blocks then stay raw (readable, and
 * counted at their raw size by the head bound) up to a byte budget, and {@link #release} queues them
 * for compression once replay is done, so the ingester becomes ready without waiting for zstd.
 */
public final class Sealer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sealer.class);
  /** Most blocks a sealing thread orders and seals at once. */
  public static final int BATCH = 64;
  /** Longest a sealing thread waits for a batch to fill once it holds a block. */
  static final long LINGER_MILLIS = 200;

  private final BlockCodec codec;
  private final int batch;
  private final long lingerNanos;
  private final List<Thread> threads = new ArrayList<>();
  /** Sealing threads still running: when none is (one died of an Error), callers seal inline. */
  private final AtomicInteger liveThreads = new AtomicInteger();
  private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private volatile boolean closing;
  private final AtomicInteger pending = new AtomicInteger();
  /** Raw bytes of the {@link #pending} blocks. */
  private final AtomicLong pendingRawBytes = new AtomicLong();
  private final long maxPendingRawBytes;
  private final Object holdLock = new Object();
  /** Blocks kept raw while on hold; null when not holding. */
  private List<HeadBlock> held;
  private long heldBytes;
  private long maxHeldBytes;
  /** Released blocks still queued: counted apart from {@link #pending} so they never force inline sealing. */
  private final AtomicInteger backlog = new AtomicInteger();
  private final int maxPending;
  private final SealCounts counts = new SealCounts();

  /** A queued block, its codec affinity (taken when queued); {@code released} for one queued by {@link #release()}. */
  private record Job(HeadBlock block, long affinity, boolean released) {}

  /** Seals inline once {@code maxPending} blocks wait, whatever their size. */
  public Sealer(BlockCodec codec, int threads, int maxPending) {
    this(codec, threads, maxPending, 0, BATCH, LINGER_MILLIS);
  }

  /** Seals inline once {@code maxPending} blocks holding at least {@code maxPendingRawBytes} raw bytes wait. */
  public Sealer(BlockCodec codec, int threads, int maxPending, long maxPendingRawBytes) {
    this(codec, threads, maxPending, maxPendingRawBytes, BATCH, LINGER_MILLIS);
  }

  /** With its own batch size and linger (tests). */
  Sealer(BlockCodec codec, int threads, int maxPending, int batch, long lingerMillis) {
    this(codec, threads, maxPending, 0, batch, lingerMillis);
  }

  private Sealer(BlockCodec codec, int threads, int maxPending, long maxPendingRawBytes, int batch, long lingerMillis) {
    this.codec = codec;
    this.maxPending = maxPending;
    this.maxPendingRawBytes = maxPendingRawBytes;
    this.batch = batch;
    this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMillis);
    liveThreads.set(threads);
    for (int i = 1; i <= threads; i++) {
      Thread t = new Thread(this::work, "lodge-sealer-" + i);
      t.setDaemon(true);
      t.start();
      this.threads.add(t);
    }
  }

  /** A sealer that compresses inline, on the caller's thread. */
  public static Sealer inline(BlockCodec codec) {
    return new Sealer(codec, 0, 0);
  }

  /** Keeps full blocks raw, up to {@code maxBytes} of raw entries, until {@link #release()}. */
  public void hold(long maxBytes) {
    synchronized (holdLock) {
      if (held == null) held = new ArrayList<>();
      maxHeldBytes = maxBytes;
    }
  }

  /** Ends a hold: queues every held block for compression (inline without sealing threads). Returns how many. */
  public int release() {
    List<HeadBlock> blocks;
    synchronized (holdLock) {
      blocks = held;
      held = null;
      heldBytes = 0;
    }
    if (blocks == null) return 0;
    for (HeadBlock b : blocks) {
      if (liveThreads.get() == 0 || closing) {
        b.seal(codec, counts, SealCounts.Where.SEALER);
        continue;
      }
      backlog.incrementAndGet();
      enqueue(new Job(b, affinity(b), true));
    }
    return blocks.size();
  }

  void submit(HeadBlock block) {
    synchronized (holdLock) {
      if (held != null && heldBytes + block.rawBytes() <= maxHeldBytes) {
        held.add(block);
        heldBytes += block.rawBytes();
        return;
      }
    }
    if (liveThreads.get() == 0 || closing) {
      block.seal(codec, counts, SealCounts.Where.PUSH);
      return;
    }
    long affinity = affinity(block);
    if (pending.get() >= maxPending && pendingRawBytes.get() >= maxPendingRawBytes) {
      block.seal(codec, counts, SealCounts.Where.PUSH);
      sealQueuedLike(affinity);
      return;
    }
    pending.incrementAndGet();
    pendingRawBytes.addAndGet(block.rawBytes());
    enqueue(new Job(block, affinity, false));
  }

  /**
   * The caller past the backlog bound, having sealed its own block, also takes up to a batch of the queued
   * blocks of the same affinity and seals them: right after its own, with the line dictionary's tables in
   * the CPU caches. A lone block of some dictionary, sealed cold, costs several times what the same block
   * costs in a run of its dictionary (BENCHMARKS.md, "Sixteenth wave"), and each such turn takes the
   * backlog further below the bound, so the caller's turns come less often.
   */
  private void sealQueuedLike(long affinity) {
    List<Job> same = new ArrayList<>();
    for (Job j : queue) { // weakly consistent: a job a sealing thread takes meanwhile is not removed below
      if (j.affinity() == affinity) same.add(j);
      if (same.size() == batch) break;
    }
    for (Job j : same) {
      if (queue.remove(j)) seal(j, SealCounts.Where.PUSH); // removed by this call only: sealed and counted once
    }
  }

  /** The codec's affinity of {@code block}; 0 when it fails (only an order: the block is still sealed, and fails there if it must). */
  private long affinity(HeadBlock block) {
    try {
      return block.affinity(codec);
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("err", e.toString()).log("block affinity failed; sealing in arrival order");
      return 0;
    }
  }

  /**
   * Queues a counted job. A job added while {@link #close()} drains may be missed by it: then it is taken
   * back and sealed here.
   */
  private void enqueue(Job job) {
    queue.add(job);
    if ((closing || liveThreads.get() == 0) && queue.remove(job)) seal(job, SealCounts.Where.SEALER);
  }

  /** The blocks compressed so far, by where: this sealer's threads, its callers inline, and flush cuts. */
  public SealCounts counts() {
    return counts;
  }

  /** Whether full blocks are being kept raw ({@link #hold}, during WAL replay). */
  boolean holding() {
    synchronized (holdLock) {
      return held != null;
    }
  }

  /** Blocks waiting for compression (held ones not counted). */
  public int pending() {
    return pending.get() + backlog.get();
  }

  private void work() {
    List<Job> jobs = new ArrayList<>(batch);
    try {
      while (true) {
        Job first;
        try {
          first = queue.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          first = null; // nobody should interrupt a sealing thread: only close() ends it
        }
        if (first == null) {
          if (closing && queue.isEmpty()) return;
          continue;
        }
        jobs.add(first);
        fill(jobs);
        sealInAffinityOrder(jobs);
        jobs.clear();
      }
    } finally {
      if (liveThreads.decrementAndGet() == 0) {
        for (Job j; (j = queue.poll()) != null; ) seal(j, SealCounts.Where.SEALER); // what waits now would wait for ever
      }
    }
  }

  /** Adds queued blocks to {@code jobs} until it holds a batch or the linger has passed. */
  private void fill(List<Job> jobs) {
    long deadline = System.nanoTime() + lingerNanos;
    while (jobs.size() < batch) {
      queue.drainTo(jobs, batch - jobs.size());
      long left = deadline - System.nanoTime();
      if (jobs.size() >= batch || left <= 0 || closing) return;
      Job next;
      try {
        next = queue.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return; // nobody should interrupt a sealing thread: seal what is here
      }
      if (next == null) return;
      jobs.add(next);
    }
  }

  private void sealInAffinityOrder(List<Job> jobs) {
    jobs.sort(Comparator.comparingLong(Job::affinity)); // stable: a stream's blocks keep their order
    for (Job j : jobs) seal(j, SealCounts.Where.SEALER);
  }

  private void seal(Job job, SealCounts.Where where) {
    try {
      job.block().seal(codec, counts, where);
    } catch (RuntimeException | OutOfMemoryError e) {
      // the block stays raw and readable; the flusher seals it inline and reports a failure there. An
      // OutOfMemoryError here is most likely direct memory (a dictionary's buffer): the thread goes on.
      log.atError().addKeyValue("err", e.toString()).setCause(e).log("sealing a head block failed");
    } finally {
      if (job.released()) {
        backlog.decrementAndGet();
      } else {
        pending.decrementAndGet();
        pendingRawBytes.addAndGet(-job.block().rawBytes());
      }
    }
  }

  /**
   * Seals every queued block (without waiting for batches to fill) and stops the sealing threads, within
   * about {@value #LINGER_MILLIS} ms plus the sealing itself.
   */
  @Override
  public void close() {
    if (closing) return;
    closing = true; // not interrupts: a seal may write a dictionary to the store, and an interrupt closes channels
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (t.isAlive()) log.atWarn().addKeyValue("thread", t.getName()).log("sealer thread still busy after 30 s");
    }
    for (Job j; (j = queue.poll()) != null; ) seal(j, SealCounts.Where.SEALER); // queued as the threads ended
  }
}
