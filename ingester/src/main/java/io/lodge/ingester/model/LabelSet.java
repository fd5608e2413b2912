package io.lodge.ingester.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of labels sorted by name (stable, so a parsed set keeps duplicate names in input
 * order for validation to report). Its canonical string is Loki's {@code {a="1", b="2"}} and its
 * {@link #hash()} is the XXH64 of that string: the stream id.
 */
public final class LabelSet implements Comparable<LabelSet> {
  /** The set with no labels. */
  public static final LabelSet EMPTY = new LabelSet(new Label[0]);

  private final Label[] labels;
  private String canonical;
  // 0 until computed; volatile so another thread never sees a torn or half-published value
  private volatile long hash;

  private LabelSet(Label[] sortedLabels) {
    this.labels = sortedLabels;
  }

  /** Builds a set from labels in any order; empty values are kept (callers drop them where Loki does). */
  public static LabelSet of(Collection<Label> labels) {
    Label[] a = labels.toArray(new Label[0]);
    Arrays.sort(a, (x, y) -> x.name().compareTo(y.name()));
    return new LabelSet(a);
  }

  /** Builds a set from alternating names and values: {@code of("app", "web", "env", "prod")}. */
  public static LabelSet of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("odd number of arguments");
    List<Label> l = new ArrayList<>(namesAndValues.length / 2);
    for (int i = 0; i < namesAndValues.length; i += 2) l.add(new Label(namesAndValues[i], namesAndValues[i + 1]));
    return of(l);
  }

  /** Builds a set from a map of names to values. */
  public static LabelSet of(Map<String, String> map) {
    List<Label> l = new ArrayList<>(map.size());
    map.forEach((k, v) -> l.add(new Label(k, v)));
    return of(l);
  }

  public int size() {
    return labels.length;
  }

  public boolean isEmpty() {
    return labels.length == 0;
  }

  public Label get(int i) {
    return labels[i];
  }

  /** The labels in name order. */
  public List<Label> labels() {
    return List.of(labels);
  }

  /** The value of the first label called {@code name}, or null when absent. */
  public String get(String name) {
    for (Label l : labels) {
      int c = l.name().compareTo(name);
      if (c == 0) return l.value();
      if (c > 0) break;
    }
    return null;
  }

  public boolean has(String name) {
    return get(name) != null;
  }

  /** True when two labels share a name (Loki rule L5). */
  public boolean hasDuplicateNames() {
    return firstDuplicateName() != null;
  }

  /** The first name that occurs twice, or null. */
  public String firstDuplicateName() {
    for (int i = 1; i < labels.length; i++) {
      if (labels[i].name().equals(labels[i - 1].name())) return labels[i].name();
    }
    return null;
  }

  /** A copy with {@code name} set to {@code value} (replacing an existing label of that name). */
  public LabelSet with(String name, String value) {
    List<Label> l = new ArrayList<>(labels.length + 1);
    for (Label x : labels) if (!x.name().equals(name)) l.add(x);
    l.add(new Label(name, value));
    return of(l);
  }

  /** A copy without any label called {@code name}. */
  public LabelSet without(String name) {
    if (!has(name)) return this;
    List<Label> l = new ArrayList<>(labels.length);
    for (Label x : labels) if (!x.name().equals(name)) l.add(x);
    return new LabelSet(l.toArray(new Label[0]));
  }

  /** A copy without labels whose value is empty (Loki drops them when it parses a stream). */
  public LabelSet withoutEmptyValues() {
    int n = 0;
    for (Label x : labels) if (!x.value().isEmpty()) n++;
    if (n == labels.length) return this;
    Label[] a = new Label[n];
    int i = 0;
    for (Label x : labels) if (!x.value().isEmpty()) a[i++] = x;
    return new LabelSet(a);
  }

  /** Loki's canonical form {@code {a="1", b="2"}} with Go-quoted values. */
  public String canonical() {
    String c = canonical;
    if (c == null) {
      StringBuilder sb = new StringBuilder(16 * labels.length + 2).append('{');
      for (int i = 0; i < labels.length; i++) {
        if (i > 0) sb.append(", ");
        sb.append(labels[i].name()).append('=');
        GoQuote.appendQuoted(sb, labels[i].value());
      }
      canonical = c = sb.append('}').toString();
    }
    return c;
  }

  /** The stream id: XXH64 of the UTF-8 canonical string. Collisions are possible and handled by callers. */
  public long hash() {
    long h = hash;
    if (h == 0) { // a real hash of 0 is just recomputed each time
      h = Hash64.xxh64(canonical().getBytes(StandardCharsets.UTF_8));
      hash = h;
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof LabelSet other)) return false;
    // different streams usually share their first labels: known, different hashes settle it at once
    long a = hash, b = other.hash;
    if (a != 0 && b != 0 && a != b) return false;
    return Arrays.equals(labels, other.labels);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hash());
  }

  @Override
  public int compareTo(LabelSet o) {
    return canonical().compareTo(o.canonical());
  }

  @Override
  public String toString() {
    return canonical();
  }
}
