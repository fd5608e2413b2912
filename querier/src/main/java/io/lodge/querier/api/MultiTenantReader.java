package io.lodge.querier.api;

import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.IndexStats;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * A {@link LogReader} that reads several tenants as one (LOKI-COMPAT 1.2, multi-tenant queries): the
 * tenant argument of every call may name several tenants joined by {@code |} (sorted, distinct, as the
 * router resolves {@code X-Scope-OrgID: a|b}); each is read from the underlying reader and every stream
 * and series gets the label {@value #TENANT_LABEL}. Matchers on {@value #TENANT_LABEL} choose the tenants
 * and are not passed on. A single tenant (no {@code |}) goes straight through, without the label, as in
 * Loki. Tenant ids cannot contain {@code |}, so the joined form is unambiguous. Stateless and thread-safe.
 */
public final class MultiTenantReader implements LogReader {
  /** The label Loki adds to every result stream and series of a multi-tenant query. */
  public static final String TENANT_LABEL = "__tenant_id__";

  private final LogReader base;

  public MultiTenantReader(LogReader base) {
    this.base = base;
  }

  /** The tenant argument for a request's (sorted, distinct) tenants. */
  public static String join(List<String> tenants) {
    return String.join("|", tenants);
  }

  private static boolean isMulti(String tenant) {
    return tenant.indexOf('|') >= 0;
  }

  /** The tenants of {@code joined} that every {@value #TENANT_LABEL} matcher accepts. */
  private static List<String> tenants(String joined, List<LabelMatcher> matchers) {
    List<String> out = new ArrayList<>();
    for (String t : joined.split("\\|")) {
      boolean ok = true;
      for (LabelMatcher m : matchers) {
        if (m.name().equals(TENANT_LABEL) && !m.matches(t)) ok = false;
      }
      if (ok) out.add(t);
    }
    return out;
  }

  private static List<LabelMatcher> withoutTenant(List<LabelMatcher> matchers) {
    List<LabelMatcher> out = new ArrayList<>(matchers.size());
    for (LabelMatcher m : matchers) if (!m.name().equals(TENANT_LABEL)) out.add(m);
    return out;
  }

  @Override
  public EntryIterator select(SelectRequest request) {
    if (!isMulti(request.tenant())) return base.select(request);
    List<LabelMatcher> matchers = withoutTenant(request.matchers());
    List<TenantCursor> cursors = new ArrayList<>();
    try {
      for (String t : tenants(request.tenant(), request.matchers())) {
        cursors.add(new TenantCursor(t, base.select(request.withTenant(t, matchers))));
      }
    } catch (RuntimeException e) {
      for (TenantCursor c : cursors) c.it.close();
      throw e;
    }
    return new MergedEntries(cursors, request.direction());
  }

  @Override
  public List<String> labelNames(String tenant, long fromNanos, long toNanos, List<LabelMatcher> matchers) {
    if (!isMulti(tenant)) return base.labelNames(tenant, fromNanos, toNanos, matchers);
    TreeSet<String> names = new TreeSet<>();
    for (String t : tenants(tenant, matchers)) {
      List<String> n = base.labelNames(t, fromNanos, toNanos, withoutTenant(matchers));
      names.addAll(n);
      // the tenant label is a label of every stream of a tenant that has any
      if (!n.isEmpty()) names.add(TENANT_LABEL);
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String tenant, String name, long fromNanos, long toNanos,
      List<LabelMatcher> matchers) {
    if (!isMulti(tenant)) return base.labelValues(tenant, name, fromNanos, toNanos, matchers);
    if (name.equals(TENANT_LABEL)) return tenants(tenant, matchers);
    TreeSet<String> values = new TreeSet<>();
    for (String t : tenants(tenant, matchers)) {
      values.addAll(base.labelValues(t, name, fromNanos, toNanos, withoutTenant(matchers)));
    }
    return List.copyOf(values);
  }

  @Override
  public List<LabelSet> series(String tenant, List<List<LabelMatcher>> selectors, long fromNanos, long toNanos) {
    if (!isMulti(tenant)) return base.series(tenant, selectors, fromNanos, toNanos);
    List<LabelSet> out = new ArrayList<>();
    for (String t : tenant.split("\\|")) {
      // each selector names the tenants it accepts; a tenant is read with the selectors that accept it
      List<List<LabelMatcher>> forTenant = new ArrayList<>();
      boolean all = selectors.isEmpty();
      for (List<LabelMatcher> s : selectors) {
        if (tenants(t, s).isEmpty()) continue;
        List<LabelMatcher> rest = withoutTenant(s);
        if (rest.isEmpty()) all = true;
        forTenant.add(rest);
      }
      if (!all && forTenant.isEmpty()) continue;
      for (LabelSet s : base.series(t, all ? List.of() : forTenant, fromNanos, toNanos)) {
        out.add(s.with(TENANT_LABEL, t));
      }
    }
    return out;
  }

  @Override
  public IndexStats stats(String tenant, List<LabelMatcher> matchers, long fromNanos, long toNanos) {
    if (!isMulti(tenant)) return base.stats(tenant, matchers, fromNanos, toNanos);
    long streams = 0;
    long chunks = 0;
    long bytes = 0;
    long entries = 0;
    for (String t : tenants(tenant, matchers)) {
      IndexStats s = base.stats(t, withoutTenant(matchers), fromNanos, toNanos);
      streams += s.streams();
      chunks += s.chunks();
      bytes += s.bytes();
      entries += s.entries();
    }
    return new IndexStats(streams, chunks, bytes, entries);
  }

  /** One tenant's entries; the labels with the tenant label are cached per stream. */
  private static final class TenantCursor {
    final String tenant;
    final EntryIterator it;
    LabelSet lastBase;
    LabelSet lastLabels;

    TenantCursor(String tenant, EntryIterator it) {
      this.tenant = tenant;
      this.it = it;
    }

    LabelSet labels() {
      LabelSet b = it.labels();
      if (b != lastBase) {
        lastBase = b;
        lastLabels = b.with(TENANT_LABEL, tenant);
      }
      return lastLabels;
    }
  }

  /**
   * The tenants' entries merged in time order (ties by labels, so the order is stable). Each cursor stays
   * on its current entry until it has been returned, so the accessors read straight from it.
   */
  private static final class MergedEntries implements EntryIterator {
    private final List<TenantCursor> all;
    private final PriorityQueue<TenantCursor> heap;
    private TenantCursor current;

    MergedEntries(List<TenantCursor> cursors, Direction direction) {
      this.all = cursors;
      boolean forward = direction == Direction.FORWARD;
      this.heap = new PriorityQueue<>(Math.max(1, cursors.size()), (a, b) -> {
        int c = Long.compare(a.it.timestampNanos(), b.it.timestampNanos());
        if (!forward) c = -c;
        return c != 0 ? c : a.labels().compareTo(b.labels());
      });
      for (TenantCursor c : cursors) if (c.it.next()) heap.add(c);
    }

    @Override
    public boolean next() {
      if (current != null && current.it.next()) heap.add(current);
      current = heap.poll();
      return current != null;
    }

    @Override
    public LabelSet labels() {
      return current.labels();
    }

    @Override
    public long timestampNanos() {
      return current.it.timestampNanos();
    }

    @Override
    public byte[] line() {
      return current.it.line();
    }

    @Override
    public int lineLength() {
      return current.it.lineLength();
    }

    @Override
    public long scannedLines() {
      long sum = 0;
      for (TenantCursor c : all) {
        long n = c.it.scannedLines();
        if (n < 0) return -1;
        sum += n;
      }
      return sum;
    }

    @Override
    public long scannedBytes() {
      long sum = 0;
      for (TenantCursor c : all) {
        long n = c.it.scannedBytes();
        if (n < 0) return -1;
        sum += n;
      }
      return sum;
    }

    @Override
    public List<Label> metadata() {
      return current.it.metadata();
    }

    @Override
    public void close() {
      RuntimeException first = null;
      for (TenantCursor c : all) {
        try {
          c.it.close();
        } catch (RuntimeException e) {
          if (first == null) first = e; else first.addSuppressed(e);
        }
      }
      if (first != null) throw first;
    }
  }
}
