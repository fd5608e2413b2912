package io.lodge.ingester.head;

import io.lodge.ingester.index.HeadIndex;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The in-memory head: every tenant's streams with their recent entries. Streams are found by the 64-bit
 * hash of their canonical labels, collisions resolved by comparing labels. Only the WAL thread applies
 * records (so the head evolves in WAL order, exactly as replay rebuilds it); the flusher cuts streams;
 * readers find streams through the {@link HeadIndex} and snapshot them.
 */
public final class Head {
  private final Map<String, Map<Long, MemStream[]>> tenants = new ConcurrentHashMap<>();
  // retired streams whose last data is not in committed chunks yet (a failed flush puts it back here)
  private final java.util.Set<MemStream> retiredPending = ConcurrentHashMap.newKeySet();
  private final HeadIndex<MemStream> index;
  private final BlockCodec codec;
  private final Sealer sealer;
  private final long blockSizeBytes;
  private final long outOfOrderWindowNanos;
  private final LongSupplier wallClock;
  private final OpenBudget openBudget;

  /** A head whose open blocks seal only when full. */
  public Head(HeadIndex<MemStream> index, BlockCodec codec, Sealer sealer, long blockSizeBytes,
      long outOfOrderWindowNanos, LongSupplier wallClockNanos) {
    this(index, codec, sealer, blockSizeBytes, outOfOrderWindowNanos, wallClockNanos, OpenBudget.UNLIMITED);
  }

  /** A head whose streams seal open blocks early while all open blocks together exceed {@code openBudget}. */
  public Head(HeadIndex<MemStream> index, BlockCodec codec, Sealer sealer, long blockSizeBytes,
      long outOfOrderWindowNanos, LongSupplier wallClockNanos, OpenBudget openBudget) {
    this.openBudget = openBudget;
    this.index = index;
    this.codec = codec;
    this.sealer = sealer;
    this.blockSizeBytes = blockSizeBytes;
    this.outOfOrderWindowNanos = outOfOrderWindowNanos;
    this.wallClock = wallClockNanos;
  }

  /**
   * Bounds the direct memory the open blocks' line pages may take ({@link LinePages}); past it pages are
   * heap arrays. Process-wide, like the pages' free lists: one head per process in production.
   */
  public static void offHeapPageLimit(long bytes) {
    LinePages.offHeapLimit(bytes);
  }

  /** Line page slabs made ahead of need until closed ({@link #prefetchPageSlabs}). */
  public interface PageSlabPrefetch extends AutoCloseable {
    /** Stops making slabs; those made stay for blocks to take. */
    @Override
    void close();
  }

  /**
   * Makes line page slabs on a thread of its own, {@code ahead} at most waiting, until closed or the
   * off-heap limit: WAL replay fills pages faster than the applying thread can fault new memory in.
   */
  public static PageSlabPrefetch prefetchPageSlabs(int ahead) {
    return LinePages.prefetch(ahead)::close;
  }

  /** Bytes of direct memory made for line pages so far (kept and reused for the life of the process). */
  public static long offHeapPageBytes() {
    return LinePages.offHeapBytes();
  }

  /** Line pages that were heap arrays because the off-heap limit was reached and no direct page was free. */
  public static long heapPageFallbacks() {
    return LinePages.heapFallbacks();
  }

  /** Direct slabs taken back from one line page size for another, since start. */
  public static long reclaimedPageSlabs() {
    return LinePages.reclaimedSlabs();
  }

  /** Slabs blocks took ready-made from a {@link #prefetchPageSlabs} thread, since start. */
  public static long prefetchedPageSlabs() {
    return LinePages.prefetchedSlabs();
  }

  /** Bytes of direct line pages held by open and not yet sealed blocks now. */
  public static long offHeapPagesInUse() {
    return LinePages.offHeapInUse();
  }

  /**
   * Applies one durable WAL record at (segment, offset). During replay {@code marks} says which streams
   * already flushed this record (skipped) and the ordering state to resume from; live it is empty.
   */
  public ApplyResult apply(String tenant, PushRequest request, long segment, long offset, ReplayMarks marks) {
    ApplyResult result = new ApplyResult();
    AppendContext ctx = new AppendContext(outOfOrderWindowNanos, blockSizeBytes, sealer, wallClock.getAsLong());
    for (PushStream ps : request.streams()) {
      StreamMark mark = marks.get(tenant, ps.labels());
      if (mark != null && mark.covers(segment, offset)) continue;
      ApplyResult.Stream sr = result.stream(ps.labels());
      while (true) {
        MemStream s = getOrCreate(tenant, ps.labels(), mark, ctx.wallNanos());
        if (s.append(ps.entries(), segment, offset, ctx, sr)) break;
        replaceRetired(tenant, s);
      }
    }
    return result;
  }

  private MemStream getOrCreate(String tenant, LabelSet labels, StreamMark mark, long wallNanos) {
    Map<Long, MemStream[]> streams = tenants.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
    long h = labels.hash();
    MemStream found = find(streams.get(h), labels);
    if (found != null) return found;
    MemStream[] created = new MemStream[1];
    boolean[] isNew = new boolean[1];
    // compute keeps bucket updates atomic against the flusher removing retired streams
    streams.compute(h, (k, bucket) -> {
      MemStream existing = find(bucket, labels);
      if (existing != null) {
        created[0] = existing;
        return bucket;
      }
      MemStream s = new MemStream(tenant, labels, wallNanos, openBudget);
      if (mark != null && !mark.retired()) s.restore(mark);
      created[0] = s;
      isNew[0] = true;
      if (bucket == null) return new MemStream[] {s};
      MemStream[] grown = java.util.Arrays.copyOf(bucket, bucket.length + 1);
      grown[bucket.length] = s;
      return grown;
    });
    MemStream s = created[0];
    if (isNew[0]) index.add(tenant, labels, s);
    return s;
  }

  private static MemStream find(MemStream[] bucket, LabelSet labels) {
    if (bucket == null) return null;
    for (MemStream s : bucket) if (s.labels().equals(labels)) return s;
    return null;
  }

  /** Takes a retired stream out of the lookup map (it stays in the index until its flush commits). */
  private void replaceRetired(String tenant, MemStream retired) {
    Map<Long, MemStream[]> streams = tenants.get(tenant);
    if (streams == null) return;
    streams.computeIfPresent(retired.labels().hash(), (h, bucket) -> {
      List<MemStream> keep = new ArrayList<>(bucket.length);
      for (MemStream s : bucket) if (s != retired) keep.add(s);
      return keep.isEmpty() ? null : keep.toArray(new MemStream[0]);
    });
  }

  /** Whether a live (not retired) stream with these labels exists. */
  public boolean hasStream(String tenant, LabelSet labels) {
    Map<Long, MemStream[]> streams = tenants.get(tenant);
    if (streams == null) return false;
    MemStream[] bucket = streams.get(labels.hash());
    if (bucket == null) return false;
    for (MemStream s : bucket) if (s.labels().equals(labels) && !s.isRetired()) return true;
    return false;
  }

  /** Number of live streams of a tenant (for {@code max_global_streams_per_user}). */
  public int streamCount(String tenant) {
    Map<Long, MemStream[]> streams = tenants.get(tenant);
    if (streams == null) return 0;
    int n = 0;
    for (MemStream[] b : streams.values()) n += b.length;
    return n;
  }

  /** Total streams over all tenants. */
  public int streamCount() {
    int n = 0;
    for (String t : tenants.keySet()) n += streamCount(t);
    return n;
  }

  /** Streams (live or still flushing) of a tenant matching all matchers. */
  public List<MemStream> select(String tenant, List<LabelMatcher> matchers) {
    return index.select(tenant, matchers);
  }

  public HeadIndex<MemStream> index() {
    return index;
  }

  public Collection<String> tenants() {
    return tenants.keySet();
  }

  /** Cuts every stream the policy says is due; the caller writes the chunks, then calls {@link #committed}. */
  public List<MemStream.Cut> cut(FlushPolicy policy) {
    long now = wallClock.getAsLong();
    List<DueCut> due = new ArrayList<>();
    int walCuts = 0;
    for (Map<Long, MemStream[]> byHash : tenants.values()) {
      for (MemStream[] bucket : byHash.values()) {
        for (MemStream s : bucket) {
          CutReason reason = s.cutReason(policy, now);
          if (reason == null) continue;
          if (reason == CutReason.WAL_PRESSURE && walCuts++ >= policy.walCutLimit()) continue; // next cycle
          due.add(due(s, reason));
        }
      }
    }
    due.sort(Comparator.comparingLong(DueCut::affinity)); // stable
    List<MemStream.Cut> cuts = new ArrayList<>();
    for (DueCut d : due) {
      MemStream s = d.stream();
      MemStream.Cut cut = s.cut(d.reason(), codec, sealer.counts());
      if (cut.mark().retired()) {
        retiredPending.add(s);
        replaceRetired(s.tenant(), s);
      }
      cuts.add(cut);
    }
    for (MemStream s : retiredPending) {
      CutReason reason = s.cutReason(policy, now);
      if (reason != null && !containsStream(cuts, s)) cuts.add(s.cut(CutReason.FORCED_RETIRE, codec, sealer.counts()));
    }
    return cuts;
  }

  /**
   * Memory pressure: when the head holds more than {@code maxBytes}, cuts the streams holding the most
   * compressed (frozen) blocks until what stays is under three quarters of it. Returns the cuts to flush.
   */
  public List<MemStream.Cut> cutLargest(long maxBytes) {
    long total = memoryBytes();
    List<MemStream.Cut> cuts = new ArrayList<>();
    if (maxBytes <= 0 || total <= maxBytes) return cuts;
    List<MemStream> streams = new ArrayList<>();
    for (Map<Long, MemStream[]> byHash : tenants.values()) {
      for (MemStream[] bucket : byHash.values()) {
        for (MemStream s : bucket) streams.add(s);
      }
    }
    long[] size = new long[streams.size()];
    long[] frozen = new long[streams.size()];
    Integer[] order = new Integer[streams.size()];
    for (int i = 0; i < size.length; i++) {
      size[i] = streams.get(i).memoryBytes();
      frozen[i] = streams.get(i).frozenBytes();
      order[i] = i;
    }
    // most compressed blocks first: open blocks have their own budget (sealed early past it), and a cut
    // must compress its stream's open block inline, so streams holding mostly compressed blocks give
    // back the most per cut, in the fewest and largest chunks
    java.util.Arrays.sort(order, (a, b) -> Long.compare(frozen[b], frozen[a]));
    long target = maxBytes / 4 * 3;
    List<DueCut> chosen = new ArrayList<>();
    for (int i : order) {
      if (total <= target) break;
      MemStream s = streams.get(i);
      if (s.cutReason(new FlushPolicy(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, true, -1), 0) == null) continue;
      chosen.add(due(s, CutReason.MEMORY_PRESSURE));
      total -= size[i];
    }
    chosen.sort(Comparator.comparingLong(DueCut::affinity)); // stable
    for (DueCut d : chosen) cuts.add(d.stream().cut(d.reason(), codec, sealer.counts()));
    return cuts;
  }

  /**
   * A stream to cut, why, and its codec {@link BlockCodec#affinity} (its line dictionary). Cuts run sorted
   * by it: a cut compresses its stream's open block inline, and a block compressed right after another of
   * the same dictionary finds the dictionary's tables in the CPU caches, where the first block after a
   * switch took several times as long per byte (BENCHMARKS.md, "Sixteenth wave").
   */
  private record DueCut(MemStream stream, CutReason reason, long affinity) {}

  private DueCut due(MemStream s, CutReason reason) {
    long affinity;
    try {
      affinity = codec.affinity(s.tenant(), s.labels());
    } catch (RuntimeException e) { // only an order: the cut itself reports what is wrong, if anything is
      affinity = 0;
    }
    return new DueCut(s, reason, affinity);
  }

  /** The cut blocks are in committed chunks: drop them, and forget retired streams left empty. */
  public void committed(List<MemStream.Cut> cuts) {
    for (MemStream.Cut c : cuts) {
      MemStream s = c.stream();
      s.flushed(c.blocks());
      if (s.isRetired() && s.isEmpty()) {
        retiredPending.remove(s);
        index.remove(s.tenant(), s.labels(), s);
      }
    }
  }

  /** A flush failed: its blocks go back to their streams, to be retried. */
  public void failed(List<MemStream.Cut> cuts) {
    for (MemStream.Cut c : cuts) c.stream().unflushed(c.blocks(), c.firstSegment());
  }

  /** The lowest WAL segment still holding unflushed entries of any stream, or Long.MAX_VALUE. */
  public long firstUnflushedSegment() {
    long min = Long.MAX_VALUE;
    for (Map<Long, MemStream[]> streams : tenants.values()) {
      for (MemStream[] bucket : streams.values()) {
        for (MemStream s : bucket) {
          long f = s.firstUnflushedSegment();
          if (f >= 0 && f < min) min = f;
        }
      }
    }
    for (MemStream s : retiredPending) {
      long f = s.firstUnflushedSegment();
      if (f >= 0 && f < min) min = f;
    }
    return min;
  }

  private static boolean containsStream(List<MemStream.Cut> cuts, MemStream s) {
    for (MemStream.Cut c : cuts) if (c.stream() == s) return true;
    return false;
  }

  /**
   * Gives back every unsealed block's line pages (off-heap slabs outlive a head; a process that starts
   * another head, as tests and restarts in one JVM do, reuses them): call once nothing applies, seals or
   * reads any more. The WAL still holds those entries.
   */
  public void releasePages() {
    for (Map<Long, MemStream[]> streams : tenants.values()) {
      for (MemStream[] bucket : streams.values()) for (MemStream s : bucket) s.releasePages();
    }
    for (MemStream s : retiredPending) s.releasePages();
  }

  /** Bytes held in memory by all streams. */
  public long memoryBytes() {
    long n = 0;
    for (Map<Long, MemStream[]> streams : tenants.values()) {
      for (MemStream[] bucket : streams.values()) for (MemStream s : bucket) n += s.memoryBytes();
    }
    return n;
  }

  public OpenBudget openBudget() {
    return openBudget;
  }

  public BlockCodec codec() {
    return codec;
  }
}
