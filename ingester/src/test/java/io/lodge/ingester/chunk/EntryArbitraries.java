package io.lodge.ingester.chunk;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Random log entries for the block and chunk properties: sorted, with ties, odd lines and metadata. */
final class EntryArbitraries {
  private EntryArbitraries() {}

  /** Valid Unicode text (no lone surrogates: those cannot round-trip through UTF-8 by definition). */
  static Arbitrary<String> unicode(int maxLength) {
    return Arbitraries.integers().between(0, 0x10FFFF)
        .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
        .list().ofMaxSize(maxLength)
        .map(cps -> {
          StringBuilder sb = new StringBuilder();
          for (int cp : cps) sb.appendCodePoint(cp);
          return sb.toString();
        });
  }

  static Arbitrary<String> logLike() {
    Arbitrary<String> word = Arbitraries.of("GET", "error", "ERROR", "user", "id=42", "took", "ms", "500",
        "Connection", "reset", "by", "peer", "/api/v1/push", "level=info", "ünïcödé", "日本語", "a-b_c.d", "");
    return word.list().ofMaxSize(20).map(ws -> String.join(" ", ws));
  }

  static Arbitrary<String> line() {
    return Arbitraries.frequencyOf(
        Tuple.of(30, logLike()),
        Tuple.of(10, unicode(40)),
        Tuple.of(5, Arbitraries.just("")),
        Tuple.of(1, Arbitraries.strings().ascii().ofMinLength(20_000).ofMaxLength(70_000)));
  }

  static Arbitrary<List<Label>> metadata() {
    Arbitrary<Label> label = Combinators.combine(
        Arbitraries.of("trace_id", "span_id", "pod", "ünï"), Arbitraries.oneOf(unicode(8), Arbitraries.of("abc", "")))
        .as(Label::new);
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(List.<Label>of())),
        Tuple.of(1, label.list().ofMaxSize(4)));
  }

  /** 1..n entries with non-decreasing timestamps (many equal), any starting point including negative. */
  static Arbitrary<List<LogEntry>> entries(int maxSize) {
    Arbitrary<Long> start = Arbitraries.oneOf(Arbitraries.longs().between(-1L << 40, 1L << 62),
        Arbitraries.just(1_700_000_000_000_000_000L));
    Arbitrary<Long> delta = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(0L)),
        Tuple.of(5, Arbitraries.longs().between(1, 1_000_000)),
        Tuple.of(1, Arbitraries.longs().between(1, 1L << 40)));
    Arbitrary<Object[]> one = Combinators.combine(delta, line(), metadata()).as((d, l, m) -> new Object[] {d, l, m});
    return Combinators.combine(start, one.list().ofMinSize(1).ofMaxSize(maxSize)).as((s, items) -> {
      List<LogEntry> out = new ArrayList<>(items.size());
      long ts = s;
      for (Object[] it : items) {
        ts += (Long) it[0];
        @SuppressWarnings("unchecked")
        List<Label> md = (List<Label>) it[2];
        out.add(new LogEntry(ts, ((String) it[1]).getBytes(StandardCharsets.UTF_8), md));
      }
      return out;
    });
  }
}
