package io.lodge.ingester.index;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory label index of the streams still in the head: per tenant, label name -> value -> the
 * streams ({@code T}, the head's stream object) with that value. Same matcher semantics as
 * {@link LabelIndex} (see {@link MatcherPlan}); labels with an empty value are not indexed, since a
 * matcher cannot tell them from absent ones.
 *
 * <p>Concurrency: one {@link ReentrantReadWriteLock} per tenant. Any number of readers query a tenant
 * at once; an add or remove takes that tenant's write lock for the few map updates it makes, so a
 * reader always sees each stream either fully indexed or not at all (a stream is never half-visible
 * under one label and missing under another). Tenants never contend with each other. Readers copy
 * results out before releasing the lock, so a result never changes under its caller.
 *
 * <p>Selection probes: among matchers that reject the empty value it takes the one whose accepted values
 * have the fewest streams (an equality matcher costs one lookup, a regex one walk of that label's
 * values), unions those postings, and checks each candidate against every matcher. With no such
 * matcher the candidates are all the tenant's streams.
 *
 * @param <T> the stream object; compared with {@code equals}/{@code hashCode}
 */
public final class HeadIndex<T> {
  private final ConcurrentHashMap<String, TenantPostings<T>> tenants = new ConcurrentHashMap<>();

  /** Indexes {@code stream} under its labels; adding the same stream twice is a no-op. */
  public void add(String tenant, LabelSet labels, T stream) {
    TenantPostings<T> t = tenants.computeIfAbsent(tenant, k -> new TenantPostings<>());
    t.lock.writeLock().lock();
    try {
      if (t.streams.putIfAbsent(stream, labels) != null) return;
      for (Label l : labels.labels()) {
        if (l.value().isEmpty()) continue;
        t.postings.computeIfAbsent(l.name(), k -> new HashMap<>())
            .computeIfAbsent(l.value(), k -> new HashSet<>()).add(stream);
      }
    } finally {
      t.lock.writeLock().unlock();
    }
  }

  /**
   * Removes {@code stream} (from the postings of the labels it was added with; {@code labels} is only a
   * cross-check). Removing an unknown stream is a no-op.
   */
  public void remove(String tenant, LabelSet labels, T stream) {
    TenantPostings<T> t = tenants.get(tenant);
    if (t == null) return;
    t.lock.writeLock().lock();
    try {
      LabelSet added = t.streams.remove(stream);
      if (added == null) return;
      assert added.equals(labels) : "stream removed with " + labels + " but added with " + added;
      for (Label l : added.labels()) {
        Map<String, Set<T>> values = t.postings.get(l.name());
        if (values == null) continue;
        Set<T> s = values.get(l.value());
        if (s == null) continue;
        s.remove(stream);
        if (s.isEmpty()) values.remove(l.value());
        if (values.isEmpty()) t.postings.remove(l.name());
      }
      // The tenant's (empty) entry stays: dropping it here would race with a concurrent add that has
      // already fetched it but not yet locked it.
    } finally {
      t.lock.writeLock().unlock();
    }
  }

  /** The tenant's streams matching all {@code matchers} (an empty list = all), in no particular order. */
  public List<T> select(String tenant, List<LabelMatcher> matchers) {
    TenantPostings<T> t = tenants.get(tenant);
    if (t == null) return List.of();
    t.lock.readLock().lock();
    try {
      return t.select(matchers);
    } finally {
      t.lock.readLock().unlock();
    }
  }

  /** Sorted names of the labels of the tenant's streams matching {@code matchers} (empty = all streams). */
  public List<String> labelNames(String tenant, List<LabelMatcher> matchers) {
    TenantPostings<T> t = tenants.get(tenant);
    if (t == null) return List.of();
    t.lock.readLock().lock();
    try {
      if (matchers.isEmpty()) return new ArrayList<>(new TreeSet<>(t.postings.keySet()));
      TreeSet<String> names = new TreeSet<>();
      for (T s : t.select(matchers)) {
        for (Label l : t.streams.get(s).labels()) if (!l.value().isEmpty()) names.add(l.name());
      }
      return new ArrayList<>(names);
    } finally {
      t.lock.readLock().unlock();
    }
  }

  /** Sorted non-empty values of label {@code name} of the tenant's streams matching {@code matchers}. */
  public List<String> labelValues(String tenant, String name, List<LabelMatcher> matchers) {
    TenantPostings<T> t = tenants.get(tenant);
    if (t == null) return List.of();
    t.lock.readLock().lock();
    try {
      Map<String, Set<T>> values = t.postings.get(name);
      if (values == null) return List.of();
      if (matchers.isEmpty()) return new ArrayList<>(new TreeSet<>(values.keySet()));
      TreeSet<String> out = new TreeSet<>();
      for (T s : t.select(matchers)) {
        String v = t.streams.get(s).get(name);
        if (v != null && !v.isEmpty()) out.add(v);
      }
      return new ArrayList<>(out);
    } finally {
      t.lock.readLock().unlock();
    }
  }

  /** The labels {@code stream} was added with, or null when it is not indexed. */
  public LabelSet labelsOf(String tenant, T stream) {
    TenantPostings<T> t = tenants.get(tenant);
    if (t == null) return null;
    t.lock.readLock().lock();
    try {
      return t.streams.get(stream);
    } finally {
      t.lock.readLock().unlock();
    }
  }

  /** Number of streams indexed for {@code tenant}. */
  public int streamCount(String tenant) {
    TenantPostings<T> t = tenants.get(tenant);
    if (t == null) return 0;
    t.lock.readLock().lock();
    try {
      return t.streams.size();
    } finally {
      t.lock.readLock().unlock();
    }
  }

  /** One tenant's postings; every access holds {@link #lock}. */
  private static final class TenantPostings<T> {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final Map<T, LabelSet> streams = new HashMap<>();
    final Map<String, Map<String, Set<T>>> postings = new HashMap<>();

    /** Matching streams, in a fresh list; the caller holds the read lock. */
    List<T> select(List<LabelMatcher> matchers) {
      List<MatcherPlan> plans = new ArrayList<>(matchers.size());
      for (LabelMatcher m : matchers) plans.add(MatcherPlan.of(m));
      // The most selective matcher that requires the label gives the candidates.
      List<Set<T>> best = null;
      long bestSize = Long.MAX_VALUE;
      for (MatcherPlan p : plans) {
        if (p.matchesAbsent()) continue;
        List<Set<T>> lists = new ArrayList<>();
        long size = 0;
        Map<String, Set<T>> values = postings.getOrDefault(p.name(), Map.of());
        if (p.kind() == MatcherPlan.Kind.IN_SET) {
          for (String v : p.values()) {
            Set<T> s = values.get(v);
            if (s != null) {
              lists.add(s);
              size += s.size();
            }
          }
        } else {
          for (Map.Entry<String, Set<T>> e : values.entrySet()) {
            if (p.accepts(e.getKey())) {
              lists.add(e.getValue());
              size += e.getValue().size();
            }
          }
        }
        if (size == 0) return new ArrayList<>();
        if (size < bestSize) {
          best = lists;
          bestSize = size;
        }
      }
      Collection<T> candidates;
      if (best == null) {
        candidates = streams.keySet();
      } else if (best.size() == 1) {
        candidates = best.get(0);
      } else {
        Set<T> union = new HashSet<>();
        for (Set<T> s : best) union.addAll(s);
        candidates = union;
      }
      if (plans.isEmpty()) return new ArrayList<>(candidates);
      // A regex is run once per distinct value, not once per candidate stream.
      List<Map<String, Boolean>> memo = new ArrayList<>(plans.size());
      for (int i = 0; i < plans.size(); i++) memo.add(new HashMap<>());
      List<T> out = new ArrayList<>();
      for (T s : candidates) {
        LabelSet labels = streams.get(s);
        boolean ok = true;
        for (int i = 0; i < plans.size() && ok; i++) {
          MatcherPlan p = plans.get(i);
          String v = labels.get(p.name());
          if (v == null || v.isEmpty()) {
            ok = p.matchesAbsent();
          } else if (p.kind() == MatcherPlan.Kind.PREDICATE) {
            ok = memo.get(i).computeIfAbsent(v, p::accepts);
          } else {
            ok = p.accepts(v);
          }
        }
        if (ok) out.add(s);
      }
      return out;
    }
  }
}
