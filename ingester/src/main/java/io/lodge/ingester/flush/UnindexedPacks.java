package io.lodge.ingester.flush;

import io.lodge.ingester.index.LabelIndex;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and deletes the packs no index entry names: left by a crash between a pack's put and the index commit
 * (their entries replay from the WAL and are flushed again), a put a shutdown interrupted, or a failed flush
 * cycle that could not delete what it wrote. Each commit records, as {@link #COMMIT_KEY}, the time (pack-name
 * clock, less {@link #CLOCK_MARGIN_NANOS}) from which such packs may exist; a collection lists the packs
 * written since then without the flusher's lock, then under it deletes those the index still does not name,
 * so a cycle that indexes a listed pack in between keeps it. A crash leaves few; more than the delete limit
 * mean an index older than its chunks (restored alone from a backup): then every one is kept and reported,
 * never deleted. (Fewer such packs cannot be told from a crash's: the time since the last commit says
 * nothing on a quiet server, whose cycles may be hours apart.) State is guarded by the flusher's lock.
 */
final class UnindexedPacks {
  /** Commit user data: Unix ns from which packs may exist that the committed index does not name. */
  static final String COMMIT_KEY = "lodge.packs_unindexed_since";
  /**
   * The fewest unnamed packs that are kept rather than deleted; more than a crash leaves (a cycle that cuts
   * the whole head writes about twice the head bound in packs at most, see {@link #deleteLimit}): the index
   * must then be older than its chunks, and deleting them would lose flushed data that only they hold.
   */
  static final int DELETE_LIMIT = 256;

  /** How far the clock may step back between a commit and a later cycle without hiding that cycle's packs. */
  static final long CLOCK_MARGIN_NANOS = 60_000_000_000L;
  /** A failed collection is retried after the next committing cycle at least this much later. */
  static final long RETRY_NANOS = 60_000_000_000L;
  private static final Logger log = LoggerFactory.getLogger(UnindexedPacks.class);

  private final ChunkStore chunks;
  private final LabelIndex index;
  private final Object lock;
  private final FlushMetrics metrics;
  private final LongSupplier nanoTime;
  private final int deleteLimit;
  /** From when packs may exist that no collection has taken on; MAX_VALUE when none may. */
  private long since;
  /** The {@link #since} a running collection took on, until it ends; MAX_VALUE when none runs. */
  private long collecting = Long.MAX_VALUE;
  /** {@link #since} before the running cycle lowered it. */
  private long beforeCycle = Long.MAX_VALUE;
  /** {@link System#nanoTime} from which a committing cycle may start a collection again. */
  private long retryAt;
  /** Too many unnamed packs were found: this process keeps them and does not look again. */
  private boolean kept;

  /**
   * @param lock the flusher's lock, held by every flush cycle
   * @param recorded what the last commit recorded under {@link #COMMIT_KEY} ({@link #recorded})
   * @param deleteLimit the most unnamed packs a collection deletes ({@link #deleteLimit}); more are all kept
   */
  UnindexedPacks(ChunkStore chunks, LabelIndex index, Object lock, FlushMetrics metrics, LongSupplier nanoTime,
      long recorded, int deleteLimit) {
    this.deleteLimit = deleteLimit;
    this.chunks = chunks;
    this.index = index;
    this.lock = lock;
    this.metrics = metrics;
    this.nanoTime = nanoTime;
    this.since = recorded;
    this.retryAt = nanoTime.getAsLong();
  }

  /**
   * The delete limit for a head bound and pack size: {@link #DELETE_LIMIT}, or twice the head bound in packs
   * when that is more (a cycle cutting a whole head of that size, and its retry).
   */
  static int deleteLimit(long maxHeadBytes, long packBytes) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(DELETE_LIMIT, 2 * Math.max(0, maxHeadBytes) / packBytes));
  }

  /**
   * The time a commit's user data records, or MAX_VALUE (keep every pack) for an index that never recorded one:
   * one written before it was, one never committed, or a value that is not a number (logged).
   */
  static long recorded(Map<String, String> commitData, String where) {
    String value = commitData.get(COMMIT_KEY);
    if (value == null) return Long.MAX_VALUE;
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      log.atWarn().addKeyValue("index", where).addKeyValue(COMMIT_KEY, value)
          .log("the label index's last commit records a time that is not a number; every chunk pack is kept");
      return Long.MAX_VALUE;
    }
  }

  /**
   * A cycle starting at {@code cycleStartNanos} (pack-name clock) may leave packs if it fails; returns the time
   * its commit records. Caller holds the lock.
   */
  long cycleStarting(long cycleStartNanos) {
    beforeCycle = since;
    since = Math.min(since, cycleStartNanos - CLOCK_MARGIN_NANOS);
    return Math.min(since, collecting);
  }

  /** The cycle committed: its packs are named. Whether a collection is due. Caller holds the lock. */
  boolean cycleCommitted() {
    since = beforeCycle;
    return since != Long.MAX_VALUE && collecting == Long.MAX_VALUE && !kept && nanoTime.getAsLong() - retryAt >= 0;
  }

  /** Lists, then deletes, the unnamed packs written since the recorded time; takes the lock only to delete. */
  void collect() {
    long from;
    synchronized (lock) {
      if (since == Long.MAX_VALUE || collecting != Long.MAX_VALUE || kept) return;
      from = since;
      collecting = from;
      since = Long.MAX_VALUE; // a cycle failing from here on lowers it again for its own packs
    }
    boolean done = false;
    try {
      List<String> unnamed = chunks.listPacks(from, key -> !index.namesObject(key));
      if (unnamed.size() > deleteLimit) {
        keep(from, unnamed);
        return;
      }
      delete(unnamed);
      done = true;
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("since", Instant.ofEpochSecond(0, from)).addKeyValue("err", e.toString())
          .log("collecting chunk packs no index entry names failed; will retry after a later flush");
    } finally {
      synchronized (lock) {
        collecting = Long.MAX_VALUE;
        if (!done) {
          since = Math.min(since, from);
          retryAt = nanoTime.getAsLong() + RETRY_NANOS;
        }
      }
    }
  }

  /**
   * Deletes the listed packs the index still does not name, each under the flusher's lock (so no cycle can
   * index it in between, and cycles wait for one delete at most); every one is tried.
   */
  private void delete(List<String> unnamed) {
    int deleted = 0;
    UncheckedIOException failure = null;
    for (String key : unnamed) {
      synchronized (lock) {
        if (index.namesObject(key)) continue; // a cycle indexed it after the listing
        try {
          chunks.deletePack(key);
          deleted++;
          log.atInfo().addKeyValue("object", key).log("deleted a chunk pack no index entry names");
        } catch (UncheckedIOException e) {
          if (failure == null) failure = e;
          else failure.addSuppressed(e);
        }
      }
    }
    metrics.unindexedDeleted(deleted);
    if (failure != null) throw failure;
  }

  private void keep(long from, List<String> unnamed) {
    synchronized (lock) {
      kept = true;
    }
    metrics.unindexedKept(unnamed.size());
    List<String> sample = new ArrayList<>(unnamed.subList(0, Math.min(3, unnamed.size())));
    log.atError().addKeyValue("packs", unnamed.size()).addKeyValue("since", Instant.ofEpochSecond(0, from))
        .addKeyValue("first", sample)
        .log("more chunk packs than a crash leaves are not named by the label index: was the index "
            + "restored without its chunks? Lodge keeps them all; restore the chunks directory of the same moment, or "
            + "delete these packs by hand to drop their data");
  }
}
