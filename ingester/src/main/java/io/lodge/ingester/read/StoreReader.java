package io.lodge.ingester.read;

import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.LineDictionaries;
import io.lodge.ingester.head.EntrySnapshot;
import io.lodge.ingester.head.Head;
import io.lodge.ingester.head.MemStream;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.index.LabelIndex;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the head and the flushed chunks as one store. The head is snapshotted before the index is
 * searched: a flush that commits in between then shows its entries twice (the merge drops the copy),
 * never zero times.
 *
 * <p>Blocks (the head's sealed ones and those of chunks) are read through a {@link BlockScanner} that
 * applies the request's {@link ReadHints}: token filters are tested before a block is decompressed, lines
 * without the required literals are never copied, and the line column stays compressed when the caller
 * does not need lines. Opened chunks are kept in a {@link ChunkCache} ({@link #DEFAULT_CACHE_BYTES}
 * by default). Blocks from the {@link ChunkLoader} are checked against their own CRC once, when
 * they enter the cache. A search with whole-word literals tests the blocks of every cached chunk before
 * the merge and leaves out the chunks none of whose blocks may match, and the blocks it decodes in vain
 * learn their exact token sets ({@link BlockTokens}), so a warm needle search decodes only the blocks
 * that hold its tokens. With {@link ReadHints#streamOrderOnly()} each stream's sources are merged on
 * their own and the streams returned one after the other ({@link StreamOrderIterator}).
 */
public final class StoreReader implements LogReader {
  /**
   * Bytes of chunk blocks the cache keeps by default: 128 MiB, or an eighth of the maximum heap when
   * that is less, so a small heap is not filled with cached chunks.
   */
  public static final long DEFAULT_CACHE_BYTES = Math.min(128L << 20, Runtime.getRuntime().maxMemory() / 8);

  private final Head head;
  private final LabelIndex index;
  private final ChunkCache chunks;
  private final LineDictionaries dictionaries;

  /** A reader of blocks that use no line dictionary. */
  public StoreReader(Head head, LabelIndex index, ChunkLoader chunks) {
    this(head, index, chunks, LineDictionaries.NONE);
  }

  /** @param dictionaries where blocks find the line dictionaries they were compressed with */
  public StoreReader(Head head, LabelIndex index, ChunkLoader chunks, LineDictionaries dictionaries) {
    this(head, index, chunks, DEFAULT_CACHE_BYTES, dictionaries);
  }

  /** @param cacheBytes block bytes of recently read chunks to keep in memory (0: none) */
  public StoreReader(Head head, LabelIndex index, ChunkLoader chunks, long cacheBytes, LineDictionaries dictionaries) {
    this.head = head;
    this.index = index;
    this.dictionaries = dictionaries;
    this.chunks = new ChunkCache(chunks, cacheBytes, dictionaries);
  }

  @Override
  public EntryIterator select(SelectRequest req) {
    boolean forward = req.direction() == Direction.FORWARD;
    long from = req.fromNanos(), to = req.toNanos();
    BlockScanner scanner = new BlockScanner(req.hints(), from, to, forward);
    List<EntrySource> sources = new ArrayList<>();
    int order = 0;
    for (MemStream s : head.select(req.tenant(), req.matchers())) {
      MemStream.Snapshot snap = s.snapshot(from, to);
      for (SealedBlock b : snap.blocks()) {
        // the head's blocks come from our own encoder, in memory: no checksum to verify
        BlockReader br = BlockReader.openTrusted(b.bytes(), 0, b.bytes().length, "head block of " + snap.labels(),
            dictionaries, req.tenant());
        if (b.overlaps(from, to) && scanner.mayMatch(br)) {
          sources.add(new LazySources.Block(snap.labels(), order++, br, scanner, forward));
        }
      }
      for (EntrySnapshot raw : snap.raw()) {
        EntrySource.Run run = new EntrySource.SnapshotRun(snap.labels(), order++, raw, from, to, forward);
        if (!run.isEmpty()) sources.add(run);
      }
    }
    boolean prune = scanner.filtersByTokens();
    for (ChunkRef ref : index.find(req.tenant(), req.matchers(), from, to)) {
      // a cached chunk whose blocks the token filters (or learned token sets) all rule out never joins
      // the merge; an uncached one stays lazy: a query that reaches its limit early never loads it
      ChunkCache.Blocks cached = prune ? chunks.peek(ref) : null;
      if (cached != null && !scanner.mayMatchAny(cached)) continue;
      sources.add(new LazySources.Chunk(ref, order++, chunks, cached, scanner, from, to, forward));
    }
    if (req.hints().streamOrderOnly()) return StreamOrderIterator.of(sources, req.direction(), scanner, req.hints(), from, to);
    return new MergeIterator(sources, req.direction(), scanner);
  }

  /** Bytes held by the chunk cache now, and its hits and misses so far: {@code [bytes, hits, misses]}. */
  public long[] cacheStats() {
    return new long[] {chunks.bytes(), chunks.hits(), chunks.misses()};
  }

  @Override
  public List<String> labelNames(String tenant, long from, long to, List<LabelMatcher> matchers) {
    Set<String> names = new TreeSet<>(index.labelNames(tenant, from, to, matchers));
    for (MemStream s : headStreams(tenant, matchers, from, to)) {
      for (Label l : s.labels().labels()) names.add(l.name());
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String tenant, String name, long from, long to, List<LabelMatcher> matchers) {
    Set<String> values = new TreeSet<>(index.labelValues(tenant, name, from, to, matchers));
    for (MemStream s : headStreams(tenant, matchers, from, to)) {
      String v = s.labels().get(name);
      if (v != null) values.add(v);
    }
    return List.copyOf(values);
  }

  @Override
  public List<LabelSet> series(String tenant, List<List<LabelMatcher>> selectors, long from, long to) {
    Set<LabelSet> out = new HashSet<>(index.series(tenant, selectors, from, to));
    List<List<LabelMatcher>> ors = selectors.isEmpty() ? List.of(List.of()) : selectors;
    for (List<LabelMatcher> matchers : ors) {
      for (MemStream s : headStreams(tenant, matchers, from, to)) out.add(s.labels());
    }
    List<LabelSet> sorted = new ArrayList<>(out);
    sorted.sort(null);
    return sorted;
  }

  @Override
  public IndexStats stats(String tenant, List<LabelMatcher> matchers, long from, long to) {
    Map<LabelSet, long[]> perStream = new HashMap<>();
    long chunkCount = 0;
    for (ChunkRef ref : index.find(tenant, matchers, from, to)) {
      long[] acc = perStream.computeIfAbsent(ref.labels(), k -> new long[2]);
      acc[0] += ref.entries();
      acc[1] += ref.rawBytes();
      chunkCount++;
    }
    for (MemStream s : headStreams(tenant, matchers, from, to)) {
      long[] c = s.counts();
      long[] acc = perStream.computeIfAbsent(s.labels(), k -> new long[2]);
      acc[0] += c[0];
      acc[1] += c[1];
      chunkCount++;
    }
    long entries = 0, bytes = 0;
    for (long[] acc : perStream.values()) {
      entries += acc[0];
      bytes += acc[1];
    }
    return new IndexStats(perStream.size(), chunkCount, bytes, entries);
  }

  private List<MemStream> headStreams(String tenant, List<LabelMatcher> matchers, long from, long to) {
    List<MemStream> out = new ArrayList<>();
    for (MemStream s : head.select(tenant, matchers)) {
      long[] b = s.bounds();
      if (b[0] < to && b[1] >= from) out.add(s);
    }
    return out;
  }
}
