package io.lodge.ingester.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Translates label matchers into Lucene queries over {@link ChunkDocument} fields.
 *
 * <p>Each matcher becomes clauses by its {@link MatcherPlan}. A matcher that rejects the empty value
 * becomes a FILTER ("has an accepted value"); one that accepts it becomes a MUST_NOT ("has no rejected
 * value"), which is what makes {@code env!="prod"} match streams without {@code env}. Regexes are
 * evaluated by walking the field's terms dictionary with the matcher's re2j pattern and then querying
 * the accepted (or rejected, whichever is smaller) terms with a {@link TermInSetQuery}: Lucene's own
 * RegexpQuery has a different syntax than RE2 and is never used. The terms walk covers all tenants'
 * terms; isolation comes from the tenant filter every query carries.
 */
final class MatcherQuery {
  private MatcherQuery() {}

  /** Chunks of {@code tenant} that may hold entries in [from, toExclusive) (same rule as ChunkRef.overlaps). */
  static Query scope(String tenant, long fromNanos, long toNanosExclusive) {
    if (toNanosExclusive == Long.MIN_VALUE) return new MatchNoDocsQuery("empty time range");
    return new BooleanQuery.Builder()
        .add(new TermQuery(new Term(ChunkDocument.TENANT, tenant)), Occur.FILTER)
        .add(LongPoint.newRangeQuery(ChunkDocument.FROM, Long.MIN_VALUE, toNanosExclusive - 1), Occur.FILTER)
        .add(LongPoint.newRangeQuery(ChunkDocument.THROUGH, fromNanos, Long.MAX_VALUE), Occur.FILTER)
        .build();
  }

  /** {@code scope} restricted to streams matching any of {@code selectors} (an empty list = all). */
  static Query scoped(IndexReader reader, String tenant, long fromNanos, long toNanosExclusive,
      List<List<LabelMatcher>> selectors) throws IOException {
    Query scope = scope(tenant, fromNanos, toNanosExclusive);
    if (selectors.isEmpty()) return scope;
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    int live = 0;
    for (List<LabelMatcher> s : selectors) {
      Query q = selector(reader, s);
      if (q instanceof MatchNoDocsQuery) continue;
      any.add(q, Occur.SHOULD);
      live++;
    }
    if (live == 0) return new MatchNoDocsQuery("no selector can match");
    return new BooleanQuery.Builder().add(scope, Occur.FILTER).add(any.build(), Occur.FILTER).build();
  }

  /** The AND of {@code matchers}; {@link MatchNoDocsQuery} when one of them can match nothing. */
  static Query selector(IndexReader reader, List<LabelMatcher> matchers) throws IOException {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean positive = false;
    for (LabelMatcher m : matchers) {
      MatcherPlan p = MatcherPlan.of(m);
      String field = ChunkDocument.labelField(p.name());
      Query has = new TermQuery(new Term(ChunkDocument.NAMES, p.name()));
      Set<String> acc;
      Set<String> rej;
      switch (p.kind()) {
        case IN_SET -> {
          acc = p.values();
          rej = null;
        }
        case NOT_IN_SET -> {
          acc = null;
          rej = p.values();
        }
        default -> {
          acc = new HashSet<>();
          rej = new HashSet<>();
          walkTerms(reader, field, p, acc, rej);
        }
      }
      // Pick the smaller of the two equivalent forms when both sets are known.
      boolean useAccepted = rej == null || (acc != null && acc.size() <= rej.size());
      if (!p.matchesAbsent()) {
        if (useAccepted) {
          if (acc.isEmpty()) return new MatchNoDocsQuery(m + " accepts no value");
          b.add(terms(field, acc), Occur.FILTER);
        } else {
          b.add(has, Occur.FILTER);
          if (!rej.isEmpty()) b.add(terms(field, rej), Occur.MUST_NOT);
        }
        positive = true;
      } else if (useAccepted) {
        if (acc.isEmpty()) {
          b.add(has, Occur.MUST_NOT);
        } else {
          Query absent = new BooleanQuery.Builder()
              .add(new MatchAllDocsQuery(), Occur.FILTER).add(has, Occur.MUST_NOT).build();
          b.add(new BooleanQuery.Builder().add(terms(field, acc), Occur.SHOULD).add(absent, Occur.SHOULD).build(),
              Occur.FILTER);
          positive = true;
        }
      } else if (!rej.isEmpty()) {
        b.add(terms(field, rej), Occur.MUST_NOT);
      }
    }
    // A BooleanQuery of only MUST_NOT clauses matches nothing; anchor it on all documents.
    if (!positive) b.add(new MatchAllDocsQuery(), Occur.FILTER);
    return b.build();
  }

  private static Query terms(String field, Set<String> values) {
    if (values.size() == 1) return new TermQuery(new Term(field, values.iterator().next()));
    List<BytesRef> refs = new ArrayList<>(values.size());
    for (String v : values) refs.add(new BytesRef(v));
    return new TermInSetQuery(field, refs);
  }

  /** Splits the field's distinct terms (over all segments) into accepted and rejected by the regex. */
  private static void walkTerms(IndexReader reader, String field, MatcherPlan p, Set<String> acc, Set<String> rej)
      throws IOException {
    for (LeafReaderContext ctx : reader.leaves()) {
      Terms terms = ctx.reader().terms(field);
      if (terms == null) continue;
      TermsEnum te = terms.iterator();
      for (BytesRef t = te.next(); t != null; t = te.next()) {
        String v = t.utf8ToString();
        if (acc.contains(v) || rej.contains(v)) continue;
        (p.accepts(v) ? acc : rej).add(v);
      }
    }
  }
}
