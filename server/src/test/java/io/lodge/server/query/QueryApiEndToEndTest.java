package io.lodge.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.server.query.Fixture.Stream;
import io.lodge.server.query.QueryApiServer.Entry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume, detected-fields/labels, patterns, format-query and legacy endpoints end to end: fixed
 * loghub-based data pushed over HTTP to a real in-process Lodge, each endpoint queried over HTTP, and the
 * JSON compared with answers computed here from what the fixture generated.
 */
class QueryApiEndToEndTest {
  private static final long S = Fixture.S;
  private static final long MS = Fixture.MS;

  @TempDir static Path dir;
  private static QueryApiServer server;
  private static Fixture data;

  @BeforeAll
  static void start() throws Exception {
    server = new QueryApiServer(dir, "");
    data = new Fixture();
    data.pushAll(server);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  private static String ns(long nanos) {
    return Long.toString(nanos);
  }

  private static String seconds(long nanos) {
    long ms = nanos / MS;
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : new java.math.BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  private static HttpResponse<String> ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=UTF-8");
    return r;
  }

  private static void error(HttpResponse<String> r, int status, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).isEqualTo(message + "\n");
    assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  /** The body up to the stats object, which holds timings. */
  private static String beforeStats(String body) {
    int i = body.indexOf(",\"stats\":");
    assertThat(i).as(body).isPositive();
    return body.substring(0, i);
  }

  // ---- volume ---------------------------------------------------------------------------------

  /** Expected volume: sums per metric (null metric = skip), sorted by bytes desc then canonical labels. */
  private static List<Map.Entry<Map<String, String>, Long>> volumes(Predicate<Map<String, String>> select,
      Function<Map<String, String>, Collection<Map<String, String>>> metrics) {
    Map<Map<String, String>, Long> sums = new HashMap<>();
    for (Stream s : data.streams) {
      if (!select.test(s.labels())) continue;
      long total = s.entries().stream().mapToLong(Fixture::bytes).sum();
      for (Map<String, String> m : metrics.apply(s.labels())) sums.merge(m, total, Long::sum);
    }
    List<Map.Entry<Map<String, String>, Long>> out = new ArrayList<>(sums.entrySet());
    out.sort(Comparator.<Map.Entry<Map<String, String>, Long>>comparingLong(Map.Entry::getValue).reversed()
        .thenComparing(e -> Fixture.canonical(e.getKey())));
    return out;
  }

  private static String vector(List<Map.Entry<Map<String, String>, Long>> series) {
    StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
    for (int i = 0; i < series.size(); i++) {
      if (i > 0) sb.append(',');
      sb.append("{\"metric\":").append(Fixture.jsonLabels(series.get(i).getKey())).append(",\"value\":[")
          .append(seconds(data.end)).append(",\"").append(series.get(i).getValue()).append("\"]}");
    }
    return sb.append(']').toString();
  }

  @Test
  void volumeOfEveryStreamGroupsByFullLabelSet() throws Exception {
    String body = ok(server.get("/loki/api/v1/index/volume", "query", "{}", "start", ns(data.t0), "end", ns(data.end))).body();
    assertThat(beforeStats(body)).isEqualTo(vector(volumes(l -> true, l -> List.of(l))));
  }

  @Test
  void volumeGroupsByTheSelectorsLabelNames() throws Exception {
    String body = ok(server.postForm("/loki/api/v1/index/volume", "query", "{env=~\".+\"}", "start", ns(data.t0),
        "end", ns(data.end))).body();
    assertThat(beforeStats(body)).isEqualTo(vector(volumes(l -> l.containsKey("env"),
        l -> List.of(Fixture.subset(l, Set.of("env"))))));
  }

  @Test
  void volumeTargetLabelsLimitAndAggregateByLabels() throws Exception {
    String target = ok(server.get("/loki/api/v1/index/volume", "query", "{env=\"dev\"}", "targetLabels", "app,pod",
        "start", ns(data.t0), "end", ns(data.end))).body();
    assertThat(beforeStats(target)).isEqualTo(vector(volumes(l -> "dev".equals(l.get("env")),
        l -> List.of(Fixture.subset(l, Set.of("app", "pod"))))));

    String limited = ok(server.get("/loki/api/v1/index/volume", "query", "{}", "limit", "1",
        "start", ns(data.t0), "end", ns(data.end))).body();
    assertThat(beforeStats(limited)).isEqualTo(vector(volumes(l -> true, l -> List.of(l)).subList(0, 1)));

    String byLabels = ok(server.get("/loki/api/v1/index/volume", "query", "{}", "aggregateBy", "labels",
        "start", ns(data.t0), "end", ns(data.end))).body();
    assertThat(beforeStats(byLabels)).isEqualTo(vector(volumes(l -> true,
        l -> l.keySet().stream().map(k -> Map.of(k, "")).toList())));
  }

  @Test
  void volumeRangeBucketsAreStampedWithTheirEnds() throws Exception {
    long step = 600 * S;
    // neither bound on a step boundary: the first bucket is partial and the last one ends (and is
    // stamped) at end, inside the data
    long start = data.t0 + 250 * S;
    long end = data.t0 + 1500 * S + 250 * MS;
    String body = ok(server.get("/loki/api/v1/index/volume_range", "query", "{app=~\"api|worker\"}",
        "step", "10m", "start", ns(start), "end", ns(end))).body();
    StringBuilder want = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    List<Stream> chosen = new ArrayList<>(List.of(data.api, data.worker));
    chosen.sort(Comparator.comparingLong((Stream s) -> s.entries().stream().filter(e -> e.ts() >= start && e.ts() < end)
        .mapToLong(Fixture::bytes).sum()).reversed());
    for (int k = 0; k < chosen.size(); k++) {
      Stream s = chosen.get(k);
      if (k > 0) want.append(',');
      want.append("{\"metric\":").append(Fixture.jsonLabels(Fixture.subset(s.labels(), Set.of("app"))))
          .append(",\"values\":[");
      boolean first = true;
      for (long b = Math.floorDiv(start, step) * step; b < end; b += step) {
        long from = Math.max(b, start);
        long to = Math.min(b + step, end);
        long sum = s.entries().stream().filter(e -> e.ts() >= from && e.ts() < to).mapToLong(Fixture::bytes).sum();
        if (sum == 0) continue;
        long stamp = b + step >= end ? end : b + step - MS;
        if (!first) want.append(',');
        first = false;
        want.append('[').append(seconds(stamp)).append(",\"").append(sum).append("\"]");
      }
      want.append("]}");
    }
    want.append(']');
    assertThat(beforeStats(body)).isEqualTo(want.toString());
    assertThat(body).contains(".999,\"").contains(seconds(end) + ",\"");
  }

  @Test
  void volumeErrorsCarryLokisMessages() throws Exception {
    String s = ns(data.t0);
    String e = ns(data.end);
    error(server.get("/loki/api/v1/index/volume", "query", "{}", "aggregateBy", "streams", "start", s, "end", e), 400,
        "invalid aggregation option");
    error(server.get("/loki/api/v1/index/volume", "query", "{}", "limit", "-1", "start", s, "end", e), 400,
        "limit must be a positive value");
    error(server.get("/loki/api/v1/index/volume", "start", s, "end", e), 400, "parse error : syntax error: unexpected $end");
    error(server.get("/loki/api/v1/index/volume", "query", "{app=\"api\"} |= \"x\"", "start", s, "end", e), 400,
        "only label matchers are supported");
    error(server.get("/loki/api/v1/index/volume_range", "query", "{}", "step", "0", "start", s, "end", e), 400,
        "zero or negative query resolution step widths are not accepted. Try a positive integer");
    error(server.get("/loki/api/v1/index/volume_range", "query", "{}", "step", "1.5m", "start", s, "end", e), 400,
        "cannot parse \"1.5m\" to a valid duration");
    // 100,000,000 s: LOKI-COMPAT's own example of the query-length message
    long end = 1_700_000_000L;
    error(server.get("/loki/api/v1/index/volume", "query", "{}", "start", Long.toString(end - 100_000_000L),
        "end", Long.toString(end)), 400,
        "the query time range exceeds the limit (query length: 27777h46m40s, limit: 30d1h)");
    error(server.get("/loki/api/v1/index/volume", "query", "{}", "start", e, "end", s), 400,
        "end timestamp must not be before or equal to start time");
  }

  @Test
  void aQueryPastQueryTimeoutAnswers504() throws Exception {
    try (QueryApiServer slow = new QueryApiServer(dir.resolve("slow"), "  query_timeout: 1ms\n")) {
      data.pushAll(slow);
      error(slow.get("/loki/api/v1/patterns", "query", "{env=~\".+\"}", "start", ns(data.t0), "end", ns(data.end)),
          504, "Request timed out, decrease the duration of the request or add more label matchers (prefer exact "
          + "match over regex match) to reduce the amount of data processed.");
    }
  }

  // ---- detected fields and labels -------------------------------------------------------------

  /** Expected detected fields of the newest {@code lineLimit} entries of {@code streams}. */
  private static String expectedFields(List<Stream> streams, int lineLimit, int limit) {
    record Sampled(long ts, Stream s, int i) {}
    List<Sampled> all = new ArrayList<>();
    for (Stream s : streams) for (int i = 0; i < s.entries().size(); i++) all.add(new Sampled(s.entries().get(i).ts(), s, i));
    all.sort(Comparator.comparingLong(Sampled::ts).reversed());
    Map<String, Set<String>> values = new TreeMap<>();
    Map<String, Set<String>> parsers = new HashMap<>();
    for (Sampled x : all.subList(0, Math.min(lineLimit, all.size()))) {
      for (var m : x.s.entries().get(x.i).metadata().entrySet()) {
        values.computeIfAbsent(m.getKey(), k -> new TreeSet<>()).add(m.getValue());
        parsers.computeIfAbsent(m.getKey(), k -> new TreeSet<>());
      }
      for (var f : x.s.fields().get(x.i).entrySet()) {
        values.computeIfAbsent(f.getKey(), k -> new TreeSet<>()).add(f.getValue());
        parsers.computeIfAbsent(f.getKey(), k -> new TreeSet<>()).add(x.s.parser());
      }
    }
    if (values.isEmpty()) return "{}";
    StringBuilder sb = new StringBuilder("{\"fields\":[");
    int n = 0;
    for (var v : values.entrySet()) {
      if (n++ >= limit) break;
      if (n > 1) sb.append(',');
      Set<String> p = parsers.get(v.getKey());
      sb.append("{\"label\":\"").append(v.getKey()).append("\",\"type\":\"").append(Fixture.TYPES.get(v.getKey()))
          .append("\",\"cardinality\":").append(v.getValue().size()).append(",\"parsers\":")
          .append(p.isEmpty() ? "null" : "[\"" + String.join("\",\"", p) + "\"]").append('}');
    }
    return sb.append("],\"limit\":").append(limit).append('}').toString();
  }

  @Test
  void detectedFieldsOfJsonAndLogfmtLinesAndStructuredMetadata() throws Exception {
    String s = ns(data.t0);
    String e = ns(data.end);
    assertThat(ok(server.get("/loki/api/v1/detected_fields", "query", "{app=\"api\"}", "line_limit", "1000",
        "start", s, "end", e)).body()).isEqualTo(expectedFields(List.of(data.api), 1000, 1000));
    // both parsers, the default line limit (100 newest lines across the two streams)
    assertThat(ok(server.get("/loki/api/v1/detected_fields", "query", "{env=\"dev\"}", "start", s, "end", e)).body())
        .isEqualTo(expectedFields(List.of(data.api, data.worker), 100, 1000));
    assertThat(ok(server.get("/loki/api/v1/detected_fields", "query", "{env=\"dev\"}", "line_limit", "5000",
        "field_limit", "3", "start", s, "end", e)).body())
        .isEqualTo(expectedFields(List.of(data.api, data.worker), 5000, 3));
    assertThat(ok(server.get("/loki/api/v1/detected_fields", "query", "{app=\"nothing\"}", "start", s, "end", e)).body())
        .isEqualTo("{}");
  }

  @Test
  void detectedFieldValuesAreTheDistinctSampledValues() throws Exception {
    String body = ok(server.get("/loki/api/v1/detected_field/level/values", "query", "{env=\"dev\"}",
        "line_limit", "1000", "start", ns(data.t0), "end", ns(data.end))).body();
    Set<String> levels = new TreeSet<>();
    for (Stream st : List.of(data.api, data.worker)) for (var f : st.fields()) levels.add(f.get("level"));
    assertThat(Json.object(body)).isEqualTo(Map.of("values", new ArrayList<>(levels), "limit", 1000L));
    String traces = ok(server.get("/loki/api/v1/detected_field/trace_id/values", "query", "{app=\"api\"}",
        "line_limit", "1000", "limit", "4", "start", ns(data.t0), "end", ns(data.end))).body();
    Set<String> ids = new TreeSet<>();
    for (Entry en : data.api.entries()) ids.add(en.metadata().get("trace_id"));
    assertThat(Json.object(traces)).isEqualTo(Map.of("values", new ArrayList<>(ids).subList(0, 4), "limit", 4L));
    assertThat(ok(server.get("/loki/api/v1/detected_field/nope/values", "query", "{app=\"api\"}",
        "start", ns(data.t0), "end", ns(data.end))).body()).isEqualTo("{}");
  }

  @Test
  void detectedFieldErrors() throws Exception {
    error(server.get("/loki/api/v1/detected_fields", "query", "{app=\"api\"}", "line_limit", "0",
        "start", ns(data.t0), "end", ns(data.end)), 400, "limit must be a positive value");
    error(server.get("/loki/api/v1/detected_fields", "query", "{app=\"api\"}", "line_limit", "6000",
        "start", ns(data.t0), "end", ns(data.end)), 400,
        "max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)");
    error(server.get("/loki/api/v1/detected_fields", "query", "{app=\"api\"}", "start", "abc"), 400,
        "could not parse 'start' parameter: strconv.ParseInt: parsing \"abc\": invalid syntax");
  }

  @Test
  void detectedLabelsDropNumericOnlyLabels() throws Exception {
    Map<String, Set<String>> values = new TreeMap<>();
    for (Stream st : data.streams) st.labels().forEach((k, v) -> values.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
    values.entrySet().removeIf(en -> en.getValue().stream().allMatch(v -> v.matches("[0-9]+")));
    assertThat(values).doesNotContainKey("build").containsKey("pod");
    StringBuilder want = new StringBuilder("{\"detectedLabels\":[");
    values.forEach((k, v) -> want.append(want.charAt(want.length() - 1) == '[' ? "" : ",")
        .append("{\"label\":\"").append(k).append("\",\"cardinality\":").append(v.size()).append('}'));
    want.append("]}");
    assertThat(ok(server.get("/loki/api/v1/detected_labels", "start", ns(data.t0), "end", ns(data.end))).body())
        .isEqualTo(want.toString());
    assertThat(ok(server.get("/loki/api/v1/detected_labels", "query", "{app=\"nothing\"}", "start", ns(data.t0),
        "end", ns(data.end))).body()).isEqualTo("{}");
  }

  // ---- patterns -------------------------------------------------------------------------------

  @Test
  @SuppressWarnings("unchecked")
  void patternsOfTheSshdStreamWithSamplesPerStep() throws Exception {
    long step = 300 * S;
    Map<String, Object> body = Json.object(ok(server.get("/loki/api/v1/patterns", "query", "{app=\"sshd\"}",
        "step", "5m", "start", ns(data.t0), "end", ns(data.end))).body());
    assertThat(body.get("status")).isEqualTo("success");
    List<Map<String, Object>> patterns = (List<Map<String, Object>>) body.get("data");
    long total = 0;
    Map<String, Map<Long, Long>> byPattern = new HashMap<>();
    for (Map<String, Object> p : patterns) {
      Map<Long, Long> samples = new TreeMap<>();
      for (Object o : (List<Object>) p.get("samples")) {
        List<Object> pair = (List<Object>) o;
        assertThat(pair).hasSize(2).allMatch(x -> x instanceof Long);
        long ts = (Long) pair.get(0);
        assertThat(ts * S % step).isZero();
        samples.put(ts, (Long) pair.get(1));
        total += (Long) pair.get(1);
      }
      byPattern.put((String) p.get("pattern"), samples);
    }
    assertThat(total).isEqualTo(data.sshd.entries().size());
    assertThat(patterns.size()).isBetween(5, 40);
    // one known shape, its per-bucket counts computed here from the pushed lines
    Pattern invalid = Pattern.compile("sshd\\[\\d+\\]: Invalid user\\s+\\S+ from \\S+$");
    Map<Long, Long> want = new TreeMap<>();
    for (Entry en : data.sshd.entries()) {
      if (invalid.matcher(en.line()).find()) want.merge(Math.floorDiv(en.ts(), step) * step / S, 1L, Long::sum);
    }
    assertThat(byPattern.get("Dec 10 <_> LabSZ sshd[<_>]: Invalid user <_> from <_>")).isEqualTo(want);
    String raw = server.get("/loki/api/v1/patterns", "query", "{app=\"sshd\"}", "start", ns(data.t0), "end",
        ns(data.end)).body();
    assertThat(raw).contains("\\u003c_\\u003e").doesNotContain("<_>");
    error(server.get("/loki/api/v1/patterns", "query", "{app=\"sshd\"} |= \"x\""), 400, "only label matchers are supported");
  }

  // ---- format_query ---------------------------------------------------------------------------

  @Test
  void formatQueryPrintsCanonicalLogqlAndAnswersErrorsAsJson() throws Exception {
    HttpResponse<String> r = ok(server.get("/loki/api/v1/format_query", "query", "{app=\"x\"}|json|x>1"));
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":\"{app=\\\"x\\\"} | json | x\\u003e1\"}");
    HttpResponse<String> post = ok(server.postForm("/loki/api/v1/format_query", "query",
        "sum by (app)(rate({app=\"x\"}[5m]))"));
    assertThat(Json.object(post.body()).get("data")).isEqualTo("sum by (app)(rate({app=\"x\"}[5m]))");
    HttpResponse<String> bad = server.get("/loki/api/v1/format_query");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type")).contains("application/json; charset=UTF-8");
    assertThat(bad.body()).isEqualTo(
        "{\"status\":\"invalid-query\",\"error\":\"parse error : syntax error: unexpected $end\"}");
  }

  @Test
  void everyEndpointAnswersPostFormsLikeGet() throws Exception {
    String s = ns(data.t0);
    String e = ns(data.end);
    String[][] calls = {
        {"/loki/api/v1/detected_fields", "query", "{env=\"dev\"}", "start", s, "end", e},
        {"/loki/api/v1/detected_field/job/values", "query", "{env=\"dev\"}", "line_limit", "500", "start", s, "end", e},
        {"/loki/api/v1/detected_labels", "query", "{env=\"dev\"}", "start", s, "end", e},
        {"/loki/api/v1/patterns", "query", "{app=\"worker\"}", "start", s, "end", e},
        {"/loki/api/v1/format_query", "query", "{app=\"x\"} |= \"<&>\""},
        {"/api/prom/label/env/values", "start", s, "end", e},
        {"/api/prom/series", "match", "{app=\"num\"}", "start", s, "end", e}};
    for (String[] c : calls) {
      String[] params = java.util.Arrays.copyOfRange(c, 1, c.length);
      String get = ok(server.get(c[0], params)).body();
      assertThat(ok(server.postForm(c[0], params)).body()).as(c[0]).isEqualTo(get);
      assertThat(get).as(c[0]).isNotIn("{}", "{\"status\":\"success\",\"data\":[]}");
    }
  }

  // ---- legacy ---------------------------------------------------------------------------------

  @Test
  void legacyQueryAnswersStreamsWithRfc3339Timestamps() throws Exception {
    String body = ok(server.get("/api/prom/query", "query", "{app=\"worker\"}", "limit", "3", "direction", "forward",
        "start", ns(data.t0), "end", ns(data.end))).body();
    StringBuilder want = new StringBuilder("{\"streams\":[{\"labels\":\"")
        .append(Fixture.canonical(data.worker.labels()).replace("\"", "\\\"")).append("\",\"entries\":[");
    for (int i = 0; i < 3; i++) {
      Entry en = data.worker.entries().get(i);
      if (i > 0) want.append(',');
      want.append("{\"ts\":\"").append(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(0, en.ts())))
          .append("\",\"line\":\"").append(en.line().replace("\\", "\\\\").replace("\"", "\\\"")).append("\"}");
    }
    want.append("]}]");
    assertThat(beforeStats(body)).isEqualTo(want.toString());

    Map<String, Object> filtered = Json.object(ok(server.get("/api/prom/query", "query", "{app=\"worker\"}",
        "regexp", "WARN|warn", "limit", "1000", "start", ns(data.t0), "end", ns(data.end))).body());
    long warn = data.worker.entries().stream().filter(en -> en.line().contains("warn") || en.line().contains("WARN")).count();
    List<?> streams = (List<?>) filtered.get("streams");
    assertThat(streams).hasSize(1);
    assertThat((List<?>) ((Map<?, ?>) streams.get(0)).get("entries")).hasSize((int) warn);

    assertThat(beforeStats(ok(server.get("/api/prom/query", "query", "{app=\"none\"}", "start", ns(data.t0),
        "end", ns(data.end))).body())).isEqualTo("{\"streams\":[]");
    error(server.get("/api/prom/query", "query", "count_over_time({app=\"api\"}[1m])", "start", ns(data.t0),
        "end", ns(data.end)), 400, "rpc error: code = Code(400) desc = legacy endpoints only support streams result type");
  }

  @Test
  void legacyLabelsValuesAndSeries() throws Exception {
    Set<String> names = new TreeSet<>();
    Set<String> apps = new TreeSet<>();
    for (Stream st : data.streams) {
      names.addAll(st.labels().keySet());
      apps.add(st.labels().get("app"));
    }
    assertThat(ok(server.get("/api/prom/label", "start", ns(data.t0), "end", ns(data.end))).body())
        .isEqualTo("{\"values\":[\"" + String.join("\",\"", names) + "\"]}");
    assertThat(ok(server.get("/api/prom/label/app/values", "start", ns(data.t0), "end", ns(data.end))).body())
        .isEqualTo("{\"values\":[\"" + String.join("\",\"", apps) + "\"]}");
    Map<String, Object> series = Json.object(ok(server.get("/api/prom/series", "match[]", "{env=\"dev\"}",
        "start", ns(data.t0), "end", ns(data.end))).body());
    assertThat(series.get("status")).isEqualTo("success");
    assertThat(new LinkedHashSet<>((List<?>) series.get("data"))).isEqualTo(Set.of(data.api.labels(), data.worker.labels()));
  }
}
