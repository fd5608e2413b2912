package io.lodge.querier.patterns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Drain-style log pattern miner (He et al., "Drain: An Online Log Parsing Approach with Fixed Depth
 * Tree", ICWS 2017), written from the paper. Lines are tokenized ({@link LineTokenizer}); a fixed-depth
 * tree routes each line by its token count and first tokens (tokens with digits route to a wildcard
 * child, as do tokens past a node's fan-out) to a leaf of candidate clusters; the line joins the most
 * similar cluster (share of equal, non-wildcard positions) when that share reaches the threshold, turning
 * the positions that differ into {@code <_>}, and otherwise starts a new cluster. Not thread-safe: one
 * miner per query.
 */
public final class PatternMiner {
  /**
   * Variable positions of a template hold this very instance and are tested by identity: the tokenizer
   * splits {@code <} and {@code >} off, so no token of a line can be it.
   */
  static final String WILDCARD = "<_>";
  /**
   * A leaf holding this many clusters stops starting new ones: a line then joins its most similar
   * cluster even below the threshold. This bounds the per-line work on high-cardinality input.
   */
  static final int MAX_CLUSTERS_PER_LEAF = 200;

  private final int prefixDepth;
  private final double similarity;
  private final int maxChildren;
  private final long stepNanos;
  /** First level of the tree: token count and spacing (a template keeps one spacing to print back). */
  private final Map<String, Node> byShape = new HashMap<>();
  private final List<Cluster> clusters = new ArrayList<>();

  /** Defaults: 1 prefix level, similarity 0.7, 100 children per node; {@code stepNanos} buckets the samples. */
  public PatternMiner(long stepNanos) {
    this(1, 0.7, 100, stepNanos);
  }

  public PatternMiner(int prefixDepth, double similarity, int maxChildren, long stepNanos) {
    if (stepNanos <= 0) throw new IllegalArgumentException("step must be positive, got " + stepNanos);
    this.prefixDepth = prefixDepth;
    this.similarity = similarity;
    this.maxChildren = maxChildren;
    this.stepNanos = stepNanos;
  }

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    final List<Cluster> clusters = new ArrayList<>();
  }

  private static final class Cluster {
    final String[] template;
    final String[] separators;
    final TreeMap<Long, Long> samples = new TreeMap<>();
    long total;

    Cluster(LineTokenizer.Tokens t) {
      this.template = t.tokens().clone();
      this.separators = t.separators().clone();
    }
  }

  /** Adds one line seen at {@code tsNanos}. */
  public void add(long tsNanos, String line) {
    LineTokenizer.Tokens t = LineTokenizer.tokenize(line);
    Node leaf = leaf(t);
    Cluster best = null;
    double bestSim = -1;
    int bestParams = -1;
    for (Cluster c : leaf.clusters) {
      // similarity counts only word tokens without digits: punctuation and numbers are shared by
      // unrelated messages (timestamps, pids, brackets) and would glue them together
      int equal = 0;
      int words = 0;
      int params = 0;
      for (int i = 0; i < c.template.length; i++) {
        String tok = t.tokens()[i];
        if (c.template[i] == WILDCARD) params++;
        if (LineTokenizer.isPunctuation(tok) || LineTokenizer.hasDigit(tok)) continue;
        words++;
        if (c.template[i].equals(tok)) equal++;
      }
      double sim = words == 0 ? 1 : (double) equal / words;
      if (sim > bestSim || (sim == bestSim && params > bestParams)) {
        best = c;
        bestSim = sim;
        bestParams = params;
      }
    }
    boolean full = leaf.clusters.size() >= MAX_CLUSTERS_PER_LEAF;
    if (best == null || (bestSim < similarity && !full)) {
      best = new Cluster(t);
      leaf.clusters.add(best);
      clusters.add(best);
    } else {
      for (int i = 0; i < best.template.length; i++) {
        if (best.template[i] != WILDCARD && !best.template[i].equals(t.tokens()[i])) best.template[i] = WILDCARD;
        // lines of one cluster may space a position differently ("Jul  2" / "Jul 10"): keep the shortest
        if (t.separators()[i].length() < best.separators[i].length()) best.separators[i] = t.separators()[i];
      }
    }
    best.total++;
    best.samples.merge(Math.floorDiv(tsNanos, stepNanos) * stepNanos / 1_000_000_000L, 1L, Long::sum);
  }

  private Node leaf(LineTokenizer.Tokens t) {
    StringBuilder shape = new StringBuilder(t.size() + 4).append(t.size()).append(':');
    for (boolean b : t.spaceBefore()) shape.append(b ? ' ' : '.');
    Node node = byShape.computeIfAbsent(shape.toString(), k -> new Node());
    int depth = Math.min(prefixDepth, t.size());
    for (int i = 0; i < depth; i++) {
      String tok = t.tokens()[i];
      String key = LineTokenizer.hasDigit(tok) ? WILDCARD : tok;
      Node next = node.children.get(key);
      if (next == null) {
        if (node.children.size() < maxChildren || key.equals(WILDCARD)) {
          next = new Node();
          node.children.put(key, next);
        } else {
          next = node.children.computeIfAbsent(WILDCARD, k -> new Node());
        }
      }
      node = next;
    }
    return node;
  }

  /** The patterns mined so far, most lines first (then by pattern text). */
  public List<MinedPattern> patterns() {
    Map<String, MinedPattern> merged = new HashMap<>();
    for (Cluster c : clusters) {
      // two clusters can print alike (different token splits of the same text): report them once
      String p = render(c);
      MinedPattern old = merged.get(p);
      if (old == null) {
        merged.put(p, new MinedPattern(p, c.total, c.samples));
      } else {
        TreeMap<Long, Long> s = new TreeMap<>(old.samples());
        c.samples.forEach((k, v) -> s.merge(k, v, Long::sum));
        merged.put(p, new MinedPattern(p, old.total() + c.total, s));
      }
    }
    List<MinedPattern> out = new ArrayList<>(merged.values());
    out.sort(Comparator.comparingLong(MinedPattern::total).reversed().thenComparing(MinedPattern::pattern));
    return out;
  }

  /** The template printed with the line's spacing; adjacent wildcards without a space become one. */
  static String render(Cluster c) {
    StringBuilder sb = new StringBuilder();
    boolean lastWild = false;
    for (int i = 0; i < c.template.length; i++) {
      boolean wild = c.template[i] == WILDCARD;
      if (wild && lastWild && c.separators[i].isEmpty()) continue;
      sb.append(c.separators[i]).append(c.template[i]);
      lastWild = wild;
    }
    return sb.toString();
  }
}
