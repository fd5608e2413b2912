package io.lodge.ingester.index;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.IndexStats;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * The on-disk label index of flushed chunks: a Lucene index with one {@link ChunkDocument} per chunk.
 *
 * <p>Writes ({@link #add}, {@link #delete}) are visible to reads as soon as they return (the searcher is
 * refreshed before returning), so a flusher may drop a stream from the head right after {@code add}
 * without a window where its data is in neither. They are durable only after {@link #commit} returns.
 * {@code add} is idempotent per chunk key (it replaces a document with the same key), so re-flushing a
 * chunk after a crash between commit and WAL truncation does not duplicate it.
 *
 * <p>Thread-safe: any number of concurrent readers and writers ({@link IndexWriter} and
 * {@link SearcherManager} are). Read methods throw {@link UncheckedIOException} naming the index
 * directory when Lucene fails to read. Times are Unix ns; a chunk is in range when
 * {@link ChunkRef#overlaps} says so.
 */
public final class LabelIndex implements Closeable {
  private final Path dir;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  // decoded chunk refs per segment core (see SegmentRefs); an entry leaves when its segment closes
  private final ConcurrentHashMap<IndexReader.CacheKey, SegmentRefs> refCache = new ConcurrentHashMap<>();

  /**
   * Initialises Lucene's memory-mapped directory and default codec without opening an index: in a fresh
   * JVM that takes ~0.1 s (the directory binds {@code madvise} through the FFM linker at class
   * initialisation, the codec is found through the service loader), which a second thread can spend
   * while the configuration is read.
   */
  public static void loadLucene() {
    try {
      Class.forName(MMapDirectory.class.getName(), true, MMapDirectory.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Lucene's MMapDirectory is not on the class path", e);
    }
    Codec.getDefault();
  }

  /** Opens (or creates) the index in {@code dir}; fails if another writer holds its lock. */
  public LabelIndex(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    this.directory = FSDirectory.open(dir);
    IndexWriter w = null;
    try {
      IndexWriterConfig cfg = new IndexWriterConfig()
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
          .setCommitOnClose(true);
      w = new IndexWriter(directory, cfg);
      this.writer = w;
      this.searchers = new SearcherManager(w, new SearcherFactory());
    } catch (IOException | RuntimeException e) {
      if (w != null) w.rollback();
      directory.close();
      throw e;
    }
  }

  /** The directory this index lives in. */
  public Path directory() {
    return dir;
  }

  /**
   * Indexes chunks (replacing any document with the same key) and makes them visible to reads. Every
   * ref is checked before any is written, so a bad ref ({@link IllegalArgumentException}) adds nothing.
   */
  public void add(List<ChunkRef> refs) throws IOException {
    List<Document> docs = new ArrayList<>(refs.size());
    for (ChunkRef r : refs) docs.add(ChunkDocument.of(r));
    for (int i = 0; i < docs.size(); i++) {
      writer.updateDocument(new Term(ChunkDocument.KEY, refs.get(i).key()), docs.get(i));
    }
    searchers.maybeRefreshBlocking();
  }

  /** Removes the chunks with these keys (unknown keys are ignored) and makes that visible to reads. */
  public void delete(List<String> chunkKeys) throws IOException {
    Term[] terms = new Term[chunkKeys.size()];
    for (int i = 0; i < terms.length; i++) terms[i] = new Term(ChunkDocument.KEY, chunkKeys.get(i));
    writer.deleteDocuments(terms);
    searchers.maybeRefreshBlocking();
  }

  /** Makes every add and delete so far durable (a Lucene commit: fsync'd when this returns). */
  public void commit() throws IOException {
    writer.commit();
  }

  /**
   * Like {@link #commit()}, recording {@code userData} atomically with the index state, e.g. the WAL
   * position the index now covers; read it back with {@link #committedUserData()} after a restart.
   */
  public void commit(Map<String, String> userData) throws IOException {
    writer.setLiveCommitData(Map.copyOf(userData).entrySet());
    writer.commit();
  }

  /** The user data of the last durable commit (empty when none was recorded or the index is new). */
  public Map<String, String> committedUserData() throws IOException {
    if (SegmentInfos.getLastCommitGeneration(directory) < 0) return Map.of();
    return Map.copyOf(SegmentInfos.readLatestCommit(directory).getUserData());
  }

  /** Chunks of {@code tenant}'s streams matching all {@code matchers} that overlap [from, to), by stream then time. */
  public List<ChunkRef> find(String tenant, List<LabelMatcher> matchers, long fromNanos, long toNanosExclusive) {
    return read("find " + matchers, s -> {
      Query q = MatcherQuery.scoped(s.getIndexReader(), tenant, fromNanos, toNanosExclusive, List.of(matchers));
      List<ChunkRef> out = new ArrayList<>();
      int[] leaves = {0};
      forEachLeaf(s, q, (leaf, docs) -> {
        leaves[0]++;
        segmentRefs(leaf.reader()).addSorted(tenant, docs, out);
      });
      // each segment's refs came sorted: merging the runs is all that is left (TimSort finds them)
      if (leaves[0] > 1) out.sort(BY_STREAM_THEN_TIME);
      return out;
    });
  }

  private static final Comparator<ChunkRef> BY_STREAM_THEN_TIME = (a, b) -> {
    if (a.labels() != b.labels()) { // one stream's chunks share one LabelSet within a segment
      int c = a.labels().compareTo(b.labels());
      if (c != 0) return c;
    }
    int c = Long.compare(a.fromNanos(), b.fromNanos());
    return c != 0 ? c : a.key().compareTo(b.key());
  };

  /**
   * The decoded chunk refs of one segment, every document's, with each document's rank in
   * {@link #find}'s order. Built when a query first reaches the segment and kept while it lives: a
   * segment's documents never change (a delete only hides one, and the live-docs check in
   * {@link #forEachLeaf} comes first), so a cached ref never goes stale, and a re-flushed chunk is a
   * new document in a new segment. This is what keeps a warm {@link #find} from decoding 1,000 label
   * sets and keys and from comparing label sets to sort them on every query. Each ref's tenant is its
   * document's own (read from the tenant postings), and {@link #addSorted} checks it against the
   * query's: the tenant filter makes a mismatch impossible, so one would be an index bug, and fails
   * rather than leak another tenant's chunk. Immutable once built.
   */
  private static final class SegmentRefs {
    private final ChunkRef[] refs; // null for a document without a tenant (none is written so)
    private final int[] rank;

    /** Decodes every document of {@code reader}, one pass per doc values field. */
    SegmentRefs(LeafReader reader) throws IOException {
      int maxDoc = reader.maxDoc();
      String[] tenants = new String[maxDoc];
      Terms terms = reader.terms(ChunkDocument.TENANT);
      if (terms != null) {
        TermsEnum te = terms.iterator();
        PostingsEnum pe = null;
        for (BytesRef t = te.next(); t != null; t = te.next()) {
          String tenant = t.utf8ToString();
          pe = te.postings(pe, PostingsEnum.NONE);
          for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) tenants[d] = tenant;
        }
      }
      BinaryDocValues stream = DocValues.getBinary(reader, ChunkDocument.STREAM);
      BinaryDocValues keys = DocValues.getBinary(reader, ChunkDocument.KEY);
      NumericDocValues from = DocValues.getNumeric(reader, ChunkDocument.FROM);
      NumericDocValues through = DocValues.getNumeric(reader, ChunkDocument.THROUGH);
      NumericDocValues entries = DocValues.getNumeric(reader, ChunkDocument.ENTRIES);
      NumericDocValues raw = DocValues.getNumeric(reader, ChunkDocument.RAW);
      NumericDocValues compressed = DocValues.getNumeric(reader, ChunkDocument.COMPRESSED);
      SortedDocValues objects = DocValues.getSorted(reader, ChunkDocument.OBJECT);
      NumericDocValues offsets = DocValues.getNumeric(reader, ChunkDocument.OFFSET);
      String[] objectNames = new String[objects.getValueCount()]; // the chunks of a pack share one string
      Map<BytesRef, LabelSet> streams = new HashMap<>();
      this.refs = new ChunkRef[maxDoc];
      for (int d = 0; d < maxDoc; d++) {
        if (tenants[d] == null) continue;
        LabelSet labels = labelsOf(stream, d, streams);
        if (!keys.advanceExact(d)) throw new IllegalStateException("chunk document " + d + " has no key");
        String key = keys.binaryValue().utf8ToString();
        // documents from before packs have no object: their chunk is the whole object under its key
        String object = key;
        long offset = 0;
        if (objects.advanceExact(d)) {
          int ord = objects.ordValue();
          if (objectNames[ord] == null) objectNames[ord] = objects.lookupOrd(ord).utf8ToString();
          object = objectNames[ord];
          offset = value(offsets, d);
        }
        refs[d] = new ChunkRef(tenants[d], labels, value(from, d), value(through, d), key, value(entries, d),
            value(raw, d), value(compressed, d), object, offset);
      }
      Integer[] order = new Integer[maxDoc];
      int n = 0;
      for (int d = 0; d < maxDoc; d++) if (refs[d] != null) order[n++] = d;
      Arrays.sort(order, 0, n, (x, y) -> BY_STREAM_THEN_TIME.compare(refs[x], refs[y]));
      this.rank = new int[maxDoc];
      for (int i = 0; i < n; i++) rank[order[i]] = i;
    }

    /** Appends the refs of {@code docs} (matches of a query of {@code tenant}) to {@code out} in find order. */
    void addSorted(String tenant, FixedBitSet docs, List<ChunkRef> out) {
      long[] keys = new long[docs.cardinality()];
      int k = 0;
      for (int d = nextDoc(docs, -1); d != DocIdSetIterator.NO_MORE_DOCS; d = nextDoc(docs, d)) {
        keys[k++] = (long) rank[d] << 32 | d;
      }
      Arrays.sort(keys, 0, k);
      for (int i = 0; i < k; i++) {
        int d = (int) keys[i];
        ChunkRef ref = refs[d];
        if (ref == null || !ref.tenant().equals(tenant)) {
          throw new IllegalStateException("label index: chunk document " + d + " of tenant "
              + (ref == null ? "(none)" : ref.tenant()) + " matched a query of tenant " + tenant);
        }
        out.add(ref);
      }
    }
  }

  /** The next set bit of {@code docs} after {@code d}, or NO_MORE_DOCS. */
  private static int nextDoc(FixedBitSet docs, int d) {
    return d + 1 < docs.length() ? docs.nextSetBit(d + 1) : DocIdSetIterator.NO_MORE_DOCS;
  }

  /** The ref cache of a segment, built when the segment is first searched and dropped when it closes. */
  private SegmentRefs segmentRefs(LeafReader reader) throws IOException {
    IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
    if (helper == null) return new SegmentRefs(reader); // not cacheable: decode per query
    IndexReader.CacheKey key = helper.getKey();
    SegmentRefs seg = refCache.get(key);
    if (seg != null) return seg;
    // built outside any lock: two first queries may both build it, and the first one kept wins
    SegmentRefs fresh = new SegmentRefs(reader);
    seg = refCache.putIfAbsent(key, fresh);
    if (seg != null) return seg;
    helper.addClosedListener(refCache::remove);
    return fresh;
  }

  /** Stream, chunk, raw-byte and entry counts of the chunks {@link #find} would return. */
  public IndexStats stats(String tenant, List<LabelMatcher> matchers, long fromNanos, long toNanosExclusive) {
    List<ChunkRef> chunks = find(tenant, matchers, fromNanos, toNanosExclusive);
    Set<LabelSet> streams = new HashSet<>();
    long bytes = 0;
    long entries = 0;
    for (ChunkRef c : chunks) {
      streams.add(c.labels());
      bytes += c.rawBytes();
      entries += c.entries();
    }
    return new IndexStats(streams.size(), chunks.size(), bytes, entries);
  }

  /** Sorted names of the labels of {@code tenant}'s streams (matching {@code matchers}) with chunks in range. */
  public List<String> labelNames(String tenant, long fromNanos, long toNanosExclusive, List<LabelMatcher> matchers) {
    return read("label names " + matchers, s -> {
      Query q = MatcherQuery.scoped(s.getIndexReader(), tenant, fromNanos, toNanosExclusive, List.of(matchers));
      return termsOfMatchingDocs(s, q, ChunkDocument.NAMES);
    });
  }

  /** Sorted non-empty values of label {@code name} of {@code tenant}'s streams (matching) with chunks in range. */
  public List<String> labelValues(String tenant, String name, long fromNanos, long toNanosExclusive,
      List<LabelMatcher> matchers) {
    return read("label values of " + name + " " + matchers, s -> {
      Query q = MatcherQuery.scoped(s.getIndexReader(), tenant, fromNanos, toNanosExclusive, List.of(matchers));
      return termsOfMatchingDocs(s, q, ChunkDocument.labelField(name));
    });
  }

  /** Label sets of {@code tenant}'s streams matching any selector (empty list = all) with chunks in range, sorted. */
  public List<LabelSet> series(String tenant, List<List<LabelMatcher>> selectors, long fromNanos,
      long toNanosExclusive) {
    return read("series " + selectors, s -> {
      Query q = MatcherQuery.scoped(s.getIndexReader(), tenant, fromNanos, toNanosExclusive, selectors);
      Map<BytesRef, LabelSet> streams = new HashMap<>();
      forEachLeaf(s, q, (leaf, docs) -> {
        BinaryDocValues stream = DocValues.getBinary(leaf.reader(), ChunkDocument.STREAM);
        for (int d = docs.nextSetBit(0); d != DocIdSetIterator.NO_MORE_DOCS;
            d = d + 1 < docs.length() ? docs.nextSetBit(d + 1) : DocIdSetIterator.NO_MORE_DOCS) {
          labelsOf(stream, d, streams);
        }
      });
      List<LabelSet> out = new ArrayList<>(new TreeSet<>(streams.values()));
      return out;
    });
  }

  /**
   * Whether a chunk document names {@code object} (a pack's key) as where its chunk lives, as of every add and
   * delete so far (committed or not). A deleted document's segment may still answer yes until a merge drops
   * it: a safe answer for deciding whether an object may go.
   */
  public boolean namesObject(String object) {
    BytesRef name = new BytesRef(object);
    try {
      searchers.maybeRefreshBlocking(); // an add whose own refresh failed is seen too; cheap when nothing changed
    } catch (IOException e) {
      throw new UncheckedIOException("label index " + dir + ": cannot refresh to look up object " + object, e);
    }
    return read("look up object " + object, s -> {
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        SortedDocValues objects = leaf.reader().getSortedDocValues(ChunkDocument.OBJECT);
        if (objects != null && objects.lookupTerm(name) >= 0) return true;
      }
      return false;
    });
  }

  /** Number of live chunk documents (all tenants), as of the last write. */
  public int chunkCount() {
    return read("count", s -> s.getIndexReader().numDocs());
  }

  /**
   * Test hook standing in for a crash: drops every change since the last commit and closes without
   * committing, leaving on disk exactly what a killed process would.
   */
  void abandon() throws IOException {
    try (directory; searchers) {
      writer.rollback();
    }
  }

  @Override
  public void close() throws IOException {
    try (directory; writer; searchers) {
      // try-with-resources closes searchers, then the writer (committing), then the directory.
    }
  }

  /**
   * Distinct terms of {@code field} held by at least one matching document. Per segment it walks the
   * field's terms dictionary and leapfrogs each term's postings against the matching-doc bit set, so the
   * cost follows the number of distinct values, not of chunks, and no stored field is read.
   */
  private static List<String> termsOfMatchingDocs(IndexSearcher s, Query q, String field) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    forEachLeaf(s, q, (leaf, docs) -> {
      Terms terms = leaf.reader().terms(field);
      if (terms == null) return;
      TermsEnum te = terms.iterator();
      PostingsEnum pe = null;
      for (BytesRef t = te.next(); t != null; t = te.next()) {
        pe = te.postings(pe, PostingsEnum.NONE);
        int d = pe.nextDoc();
        while (d != DocIdSetIterator.NO_MORE_DOCS) {
          int m = docs.nextSetBit(d);
          if (m == d) {
            out.add(t.utf8ToString());
            break;
          }
          if (m == DocIdSetIterator.NO_MORE_DOCS) break;
          d = pe.advance(m);
        }
      }
    });
    return new ArrayList<>(out);
  }

  private static LabelSet labelsOf(BinaryDocValues stream, int doc, Map<BytesRef, LabelSet> cache)
      throws IOException {
    if (!stream.advanceExact(doc)) throw new IllegalStateException("chunk document " + doc + " has no stream labels");
    BytesRef b = stream.binaryValue();
    LabelSet l = cache.get(b);
    if (l == null) {
      BytesRef copy = BytesRef.deepCopyOf(b);
      l = ChunkDocument.decode(copy);
      cache.put(copy, l);
    }
    return l;
  }

  private static long value(NumericDocValues v, int doc) throws IOException {
    if (!v.advanceExact(doc)) throw new IllegalStateException("chunk document " + doc + " lacks a numeric field");
    return v.longValue();
  }

  /** Calls {@code visitor} once per segment with a non-empty set of matching live documents. */
  private static void forEachLeaf(IndexSearcher s, Query q, LeafVisitor visitor) throws IOException {
    if (q instanceof MatchNoDocsQuery) return;
    Weight w = s.createWeight(s.rewrite(q), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      Scorer scorer = w.scorer(leaf);
      if (scorer == null) continue;
      Bits live = leaf.reader().getLiveDocs();
      FixedBitSet docs = new FixedBitSet(leaf.reader().maxDoc());
      boolean any = false;
      DocIdSetIterator it = scorer.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (live == null || live.get(d)) {
          docs.set(d);
          any = true;
        }
      }
      if (any) visitor.visit(leaf, docs);
    }
  }

  private <R> R read(String what, SearchFunction<R> fn) {
    IndexSearcher s;
    try {
      s = searchers.acquire();
    } catch (IOException e) {
      throw new UncheckedIOException("label index " + dir + ": cannot open a searcher for " + what, e);
    }
    try {
      return fn.apply(s);
    } catch (IOException e) {
      throw new UncheckedIOException("label index " + dir + ": " + what + " failed", e);
    } finally {
      try {
        searchers.release(s);
      } catch (IOException e) {
        throw new UncheckedIOException("label index " + dir + ": cannot release a searcher", e);
      }
    }
  }

  @FunctionalInterface
  private interface SearchFunction<R> {
    R apply(IndexSearcher s) throws IOException;
  }

  @FunctionalInterface
  private interface LeafVisitor {
    void visit(LeafReaderContext leaf, FixedBitSet docs) throws IOException;
  }
}
