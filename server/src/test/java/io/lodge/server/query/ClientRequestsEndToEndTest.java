package io.lodge.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.config.ConfigLoader;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.testing.LoghubData;
import io.lodge.querier.api.QueryTimeoutException;
import io.lodge.server.LodgeServer;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API as Grafana and logcli call it, against a real in-process {@link LodgeServer} with auth and
 * multi-tenant queries on: loghub lines pushed over HTTP for two tenants, then the exact requests those
 * clients send (Grafana: ns {@code start}/{@code end}, {@code step=<n>ms}, {@code limit=1000},
 * {@code X-Query-Tags}, categorize-labels, its {@code vector(1)+vector(1)} health check, {@code match[]};
 * logcli: upper-case {@code direction}, {@code match=}, instant queries). Every answer is compared with one
 * computed here from what was pushed. Also: a restart over the same data directory (flushed chunks plus
 * WAL) answers every query the same, each entry once; and {@code query_timeout} answers 504.
 */
class ClientRequestsEndToEndTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  /** Two whole hours ago: all data is in the past and inside the default limits. */
  private static final long T0 = (Instant.now().getEpochSecond() / 3600 - 2) * 3600 * S;
  private static final long END = T0 + 3600 * S;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One pushed entry: the oracle's row. */
  record E(String tenant, Map<String, String> labels, long ts, String line) {}

  @TempDir static Path dir;
  private static LodgeServer lodge;
  private static final List<E> pushed = new ArrayList<>();

  static String yaml(Path data, String extraLimits) {
    return """
        auth_enabled: true
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        querier:
          multi_tenant_queries_enabled: true
        limits_config:
          discover_service_name: []
          discover_log_levels: false
          reject_old_samples: false
        %s""".formatted(data, extraLimits);
  }

  static LodgeServer start(Path data, String extraLimits) throws Exception {
    LodgeServer s = new LodgeServer(ConfigLoader.fromYaml(yaml(data, extraLimits), "test.yaml").config());
    s.start();
    return s;
  }

  /** The fixture: two tenants, three streams of loghub lines, all timestamps distinct. */
  static List<E> fixture(int from, int to) {
    List<String> ssh = LoghubData.lines("OpenSSH_2k.log");
    List<String> hdfs = LoghubData.lines("HDFS_2k.log");
    List<E> out = new ArrayList<>();
    for (int i = from; i < Math.min(to, 400); i++) {
      out.add(new E("team-a", Map.of("app", "sshd", "env", "prod"), T0 + i * 5 * S, ssh.get(i)));
    }
    for (int i = from; i < Math.min(to, 300); i++) {
      out.add(new E("team-a", Map.of("app", "hdfs", "env", "prod"), T0 + i * 7 * S + MS, hdfs.get(i)));
    }
    for (int i = from; i < Math.min(to, 300); i++) {
      out.add(new E("team-b", Map.of("app", "sshd", "env", "dev"), T0 + i * 6 * S + 2 * MS, ssh.get(400 + i)));
    }
    return out;
  }

  @BeforeAll
  static void startAndPush() throws Exception {
    lodge = start(dir.resolve("data"), "");
    pushed.addAll(fixture(0, 400));
    push(lodge, pushed);
  }

  @AfterAll
  static void stop() {
    if (lodge != null) lodge.close();
  }

  // ---- HTTP ----

  /** Pushes {@code entries} as v1 JSON, one request per tenant, each stream in one request. */
  static void push(LodgeServer s, List<E> entries) throws Exception {
    Map<String, Map<Map<String, String>, List<E>>> byTenant = new TreeMap<>();
    for (E e : entries) {
      byTenant.computeIfAbsent(e.tenant, k -> new LinkedHashMap<>()).computeIfAbsent(e.labels, k -> new ArrayList<>()).add(e);
    }
    for (var t : byTenant.entrySet()) {
      StringWriter w = new StringWriter();
      try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
        g.writeStartObject();
        g.writeArrayFieldStart("streams");
        for (var st : t.getValue().entrySet()) {
          g.writeStartObject();
          g.writeObjectFieldStart("stream");
          for (var l : st.getKey().entrySet()) g.writeStringField(l.getKey(), l.getValue());
          g.writeEndObject();
          g.writeArrayFieldStart("values");
          for (E e : st.getValue()) {
            g.writeStartArray();
            g.writeString(Long.toString(e.ts));
            g.writeString(e.line);
            g.writeEndArray();
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort()
          + "/loki/api/v1/push")).header("Content-Type", "application/json").header("X-Scope-OrgID", t.getKey())
          .POST(HttpRequest.BodyPublishers.ofString(w.toString())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
  }

  private static String form(String... params) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < params.length; i += 2) {
      if (i > 0) sb.append('&');
      sb.append(URLEncoder.encode(params[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /** A GET as Grafana's backend or logcli sends it; {@code headers} alternate name, value. */
  static HttpResponse<String> get(LodgeServer s, String path, String[] headers, String... params) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path + "?" + form(params)))
        .timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A POST with a form body (Grafana's data source proxy may send these). */
  static HttpResponse<String> post(LodgeServer s, String path, String[] headers, String... params) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
        .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(form(params)));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String[] grafana(String tenant, boolean categorize) {
    return categorize
        ? new String[] {"X-Scope-OrgID", tenant, "X-Query-Tags", "Source=grafana", "X-Loki-Response-Encoding-Flags",
            "categorize-labels", "User-Agent", "Grafana/12.1.0"}
        : new String[] {"X-Scope-OrgID", tenant, "X-Query-Tags", "Source=grafana", "User-Agent", "Grafana/12.1.0"};
  }

  static String[] logcli(String tenant) {
    return new String[] {"X-Scope-OrgID", tenant, "User-Agent", "logcli/v3.4.6"};
  }

  static Map<String, Object> ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=UTF-8");
    return Json.object(r.body());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> data(Map<String, Object> body) {
    assertThat(body.get("status")).isEqualTo("success");
    return (Map<String, Object>) body.get("data");
  }

  // ---- the oracle ----

  /** Labels of a row as the result shows them: with {@code __tenant_id__} for a multi-tenant query. */
  static Map<String, String> shown(E e, boolean multi) {
    Map<String, String> m = new TreeMap<>(e.labels);
    if (multi) m.put("__tenant_id__", e.tenant);
    return m;
  }

  /** Loki's {@code streams} result for the rows matching {@code keep}, range [from, to), limit, direction. */
  static List<Object> streams(List<E> all, Predicate<E> keep, long from, long to, int limit, boolean forward,
      boolean categorize, boolean multi) {
    List<E> rows = new ArrayList<>();
    for (E e : all) if (keep.test(e) && e.ts >= from && e.ts < to) rows.add(e);
    Comparator<E> byTime = Comparator.comparingLong(E::ts);
    rows.sort(forward ? byTime : byTime.reversed());
    if (rows.size() > limit) rows = rows.subList(0, limit);
    Map<LabelSet, List<Object>> groups = new HashMap<>();
    for (E e : rows) {
      List<Object> v = new ArrayList<>(List.of(Long.toString(e.ts), e.line));
      if (categorize) v.add(Map.of());
      groups.computeIfAbsent(LabelSet.of(shown(e, multi)), k -> new ArrayList<>()).add(v);
    }
    List<LabelSet> order = new ArrayList<>(groups.keySet());
    order.sort(forward ? Comparator.naturalOrder() : Comparator.<LabelSet>naturalOrder().reversed());
    List<Object> out = new ArrayList<>();
    for (LabelSet l : order) {
      Map<String, String> stream = new TreeMap<>();
      for (var x : l.labels()) stream.put(x.name(), x.value());
      out.add(Map.of("stream", stream, "values", groups.get(l)));
    }
    return out;
  }

  static long count(List<E> all, Predicate<E> keep, long fromExclusive, long toInclusive) {
    return all.stream().filter(e -> keep.test(e) && e.ts > fromExclusive && e.ts <= toInclusive).count();
  }

  /** Unix seconds with milliseconds, as Loki writes sample times. */
  static BigDecimal seconds(long nanos) {
    return BigDecimal.valueOf(nanos / MS, 3).stripTrailingZeros();
  }

  private static Predicate<E> tenant(String t) {
    return e -> e.tenant.equals(t);
  }

  private static Predicate<E> label(String name, String value) {
    return e -> value.equals(e.labels.get(name));
  }

  // ---- Grafana ----

  @Test
  void grafanaLogsPanelQueryRangeAsFormPostAndGet() throws Exception {
    String q = "{env=\"prod\"} |= \"Failed password\"";
    Predicate<E> keep = tenant("team-a").and(label("env", "prod")).and(e -> e.line.contains("Failed password"));
    assertThat(pushed.stream().filter(keep).count()).isGreaterThan(20);
    for (boolean viaPost : List.of(true, false)) {
      String[] params = {"direction", "backward", "end", Long.toString(END), "limit", "1000", "query", q,
          "start", Long.toString(T0), "step", "14400ms"};
      HttpResponse<String> r = viaPost
          ? post(lodge, "/loki/api/v1/query_range", grafana("team-a", true), params)
          : get(lodge, "/loki/api/v1/query_range", grafana("team-a", true), params);
      Map<String, Object> d = data(ok(r));
      assertThat(d.get("resultType")).isEqualTo("streams");
      assertThat(d.get("encodingFlags")).isEqualTo(List.of("categorize-labels"));
      assertThat(d.get("result")).isEqualTo(streams(pushed, keep, T0, END, 1000, false, true, false));
    }
    // without the flag, and a limit that cuts: the newest 100 across both streams
    Map<String, Object> d = data(ok(get(lodge, "/loki/api/v1/query_range", grafana("team-a", false), "direction",
        "backward", "end", Long.toString(END), "limit", "100", "query", "{env=\"prod\"}", "start", Long.toString(T0),
        "step", "14400ms")));
    assertThat(d).doesNotContainKey("encodingFlags");
    assertThat(d.get("result")).isEqualTo(streams(pushed, tenant("team-a").and(label("env", "prod")), T0, END, 100,
        false, false, false));
    assertThat(((Map<?, ?>) ((Map<?, ?>) d.get("stats")).get("summary")).get("totalEntriesReturned")).isEqualTo(100L);
  }

  @Test
  void grafanaMetricPanelQueryRange() throws Exception {
    // count per 10m step over [T0, T0+1h): Loki aligns start/end to the step and counts (t-10m, t]
    long step = 600 * S;
    Map<String, Object> d = data(ok(get(lodge, "/loki/api/v1/query_range", grafana("team-a", false), "direction",
        "backward", "end", Long.toString(END), "limit", "1000", "query", "sum by (app) (count_over_time({env=\"prod\"}[10m]))",
        "start", Long.toString(T0), "step", "600000ms")));
    assertThat(d.get("resultType")).isEqualTo("matrix");
    List<Object> expected = new ArrayList<>();
    for (String app : List.of("hdfs", "sshd")) {
      List<Object> values = new ArrayList<>();
      for (long t = T0; t <= END; t += step) {
        long n = count(pushed, tenant("team-a").and(label("app", app)), t - step, t);
        if (n > 0) values.add(List.of(seconds(t).longValueExact(), Long.toString(n)));
      }
      expected.add(Map.of("metric", Map.of("app", app), "values", values));
    }
    assertThat(d.get("result")).isEqualTo(expected);
  }

  @Test
  void grafanaHealthCheck() throws Exception {
    long time = T0 + 1500 * MS + 123; // Grafana sends now() in ns
    HttpResponse<String> r = get(lodge, "/loki/api/v1/query", grafana("team-a", false), "query", "vector(1)+vector(1)",
        "time", Long.toString(time));
    ok(r);
    assertThat(r.body()).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
        + "[{\"metric\":{},\"value\":[" + seconds(time).toPlainString() + ",\"2\"]}],\"stats\":{");
  }

  /** The {@code data} member of a labels or series answer (absent for an empty label list). */
  static Object listData(HttpResponse<String> r) throws Exception {
    Map<String, Object> body = ok(r);
    assertThat(body.get("status")).isEqualTo("success");
    return body.get("data");
  }

  /** Label names, values of {@code app} and series of {@code tenants}' rows with data in [from, to). */
  static List<String> labelNames(List<E> all, List<String> tenants, boolean multi) {
    TreeSet<String> names = new TreeSet<>();
    for (E e : all) {
      if (!tenants.contains(e.tenant)) continue;
      names.addAll(e.labels.keySet());
      if (multi) names.add("__tenant_id__");
    }
    return List.copyOf(names);
  }

  static List<String> labelValues(List<E> all, List<String> tenants, String name) {
    TreeSet<String> values = new TreeSet<>();
    for (E e : all) if (tenants.contains(e.tenant) && e.labels.containsKey(name)) values.add(e.labels.get(name));
    return List.copyOf(values);
  }

  static TreeSet<Map<String, String>> series(List<E> all, Predicate<E> keep, long from, long to, boolean multi) {
    TreeSet<Map<String, String>> out = new TreeSet<>(Comparator.comparing(Object::toString));
    for (E e : all) if (keep.test(e) && e.ts >= from && e.ts < to) out.add(shown(e, multi));
    return out;
  }

  @SuppressWarnings("unchecked")
  static TreeSet<Map<String, String>> seriesOf(Object data) {
    TreeSet<Map<String, String>> out = new TreeSet<>(Comparator.comparing(Object::toString));
    for (Object o : (List<Object>) data) out.add(new TreeMap<>((Map<String, String>) o));
    assertThat(out).hasSize(((List<Object>) data).size()); // no series twice
    return out;
  }

  @Test
  void grafanaLabelBrowserCalls() throws Exception {
    String[] h = grafana("team-a", false);
    String start = Long.toString(T0);
    String end = Long.toString(END);
    List<String> a = List.of("team-a");
    assertThat(listData(get(lodge, "/loki/api/v1/labels", h, "start", start, "end", end)))
        .isEqualTo(labelNames(pushed, a, false)).isEqualTo(List.of("app", "env"));
    assertThat(listData(get(lodge, "/loki/api/v1/label/app/values", h, "start", start, "end", end)))
        .isEqualTo(labelValues(pushed, a, "app")).isEqualTo(List.of("hdfs", "sshd"));
    assertThat(listData(get(lodge, "/loki/api/v1/label/env/values", h, "start", start, "end", end,
        "query", "{app=\"sshd\"}"))).isEqualTo(List.of("prod"));
    // Grafana's label browser asks for series with match[]; the window is honoured
    assertThat(seriesOf(listData(get(lodge, "/loki/api/v1/series", h, "match[]", "{app=\"sshd\"}", "start", start,
        "end", end)))).isEqualTo(series(pushed, tenant("team-a").and(label("app", "sshd")), T0, END, false));
    long late = T0 + 2000 * S; // the sshd stream of team-a ends before this, hdfs goes on
    assertThat(seriesOf(listData(get(lodge, "/loki/api/v1/series", h, "match[]", "{env=\"prod\"}", "start",
        Long.toString(late), "end", end)))).isEqualTo(series(pushed, tenant("team-a"), late, END, false))
        .containsExactly(new TreeMap<>(Map.of("app", "hdfs", "env", "prod")));
  }

  // ---- logcli ----

  @Test
  void logcliQueryForwardSeriesAndInstant() throws Exception {
    String[] h = logcli("team-b");
    // logcli query --forward --limit=30 '{app="sshd"}'
    Map<String, Object> d = data(ok(get(lodge, "/loki/api/v1/query_range", h, "query", "{app=\"sshd\"}", "limit", "30",
        "start", Long.toString(T0), "end", Long.toString(END), "direction", "FORWARD")));
    assertThat(d.get("result")).isEqualTo(streams(pushed, tenant("team-b"), T0, END, 30, true, false, false));
    // logcli series '{app="sshd"}' sends match=, not match[]=
    assertThat(seriesOf(listData(get(lodge, "/loki/api/v1/series", h, "match", "{app=\"sshd\"}", "start",
        Long.toString(T0), "end", Long.toString(END))))).isEqualTo(series(pushed, tenant("team-b"), T0, END, false))
        .hasSize(1);
    // logcli instant-query 'count_over_time({app="sshd"}[10m])' --now=...
    long time = T0 + 1200 * S + 500 * MS;
    d = data(ok(get(lodge, "/loki/api/v1/query", h, "query", "count_over_time({app=\"sshd\"}[10m])", "limit", "30",
        "time", Long.toString(time), "direction", "BACKWARD")));
    assertThat(d.get("resultType")).isEqualTo("vector");
    long n = count(pushed, tenant("team-b"), time - 600 * S, time);
    assertThat(n).isPositive();
    assertThat(d.get("result")).isEqualTo(List.of(Map.of("metric", Map.of("app", "sshd", "env", "dev"),
        "value", List.of(seconds(time), Long.toString(n)))));
  }

  // ---- multi-tenant ----

  @Test
  void multiTenantQueriesReadEveryTenantAndLabelTheResults() throws Exception {
    String[] h = grafana("team-b|team-a", true);
    List<String> both = List.of("team-a", "team-b");
    Map<String, Object> d = data(ok(post(lodge, "/loki/api/v1/query_range", h, "direction", "backward", "end",
        Long.toString(END), "limit", "1000", "query", "{app=\"sshd\"}", "start", Long.toString(T0), "step", "14400ms")));
    assertThat(d.get("result")).isEqualTo(streams(pushed, label("app", "sshd"), T0, END, 1000, false, true, true));
    // a matcher on the tenant label chooses the tenant
    d = data(ok(get(lodge, "/loki/api/v1/query_range", logcli("team-a|team-b"), "query",
        "{app=\"sshd\", __tenant_id__=\"team-b\"}", "limit", "50", "start", Long.toString(T0), "end", Long.toString(END),
        "direction", "FORWARD")));
    assertThat(d.get("result")).isEqualTo(streams(pushed, tenant("team-b"), T0, END, 50, true, false, true));

    assertThat(listData(get(lodge, "/loki/api/v1/labels", h, "start", Long.toString(T0), "end", Long.toString(END))))
        .isEqualTo(labelNames(pushed, both, true)).isEqualTo(List.of("__tenant_id__", "app", "env"));
    assertThat(listData(get(lodge, "/loki/api/v1/label/env/values", h, "start", Long.toString(T0), "end",
        Long.toString(END)))).isEqualTo(labelValues(pushed, both, "env"));
    assertThat(listData(get(lodge, "/loki/api/v1/label/__tenant_id__/values", h, "start", Long.toString(T0), "end",
        Long.toString(END)))).isEqualTo(both);
    assertThat(seriesOf(listData(get(lodge, "/loki/api/v1/series", h, "match[]", "{app=~\".+\"}", "start",
        Long.toString(T0), "end", Long.toString(END))))).isEqualTo(series(pushed, e -> true, T0, END, true)).hasSize(3);

    long time = T0 + 3000 * S;
    d = data(ok(get(lodge, "/loki/api/v1/query", h, "query", "sum by (__tenant_id__) (count_over_time({app=\"sshd\"}[1h]))",
        "time", Long.toString(time))));
    List<Object> expected = new ArrayList<>();
    for (String t : both) {
      expected.add(Map.of("metric", Map.of("__tenant_id__", t), "value",
          List.of(seconds(time).longValueExact(), Long.toString(count(pushed, tenant(t).and(label("app", "sshd")),
              time - 3600 * S, time)))));
    }
    assertThat(d.get("result")).isEqualTo(expected);
    // one tenant in the header: no tenant label, as in Loki
    d = data(ok(get(lodge, "/loki/api/v1/query_range", logcli("team-b"), "query", "{app=\"sshd\"}", "limit", "5",
        "start", Long.toString(T0), "end", Long.toString(END), "direction", "FORWARD")));
    assertThat(d.get("result")).isEqualTo(streams(pushed, tenant("team-b"), T0, END, 5, true, false, false));
  }

  // ---- query_timeout ----

  @Test
  void logQueriesPastQueryTimeoutAnswer504(@TempDir Path other) throws Exception {
    try (LodgeServer s = start(other.resolve("data"), "  query_timeout: 1ns\n")) {
      push(s, fixture(0, 400));
      HttpResponse<String> r = get(s, "/loki/api/v1/query_range", logcli("team-a"), "query", "{env=\"prod\"} |= \"nothing matches this\"",
          "limit", "30", "start", Long.toString(T0), "end", Long.toString(END), "direction", "FORWARD");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
      assertThat(r.body()).isEqualTo(QueryTimeoutException.MESSAGE + "\n");
      assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    }
  }

  // ---- restart ----

  /** The answers compared across the restart: each request and its result (stats hold timings). */
  private static List<Object> answers(LodgeServer s) throws Exception {
    List<Object> out = new ArrayList<>();
    String start = Long.toString(T0);
    String end = Long.toString(END);
    for (String dir : List.of("FORWARD", "backward")) {
      for (String t : List.of("team-a", "team-b", "team-a|team-b")) {
        out.add(data(ok(get(s, "/loki/api/v1/query_range", logcli(t), "query", "{app=~\".+\"}", "limit", "5000",
            "start", start, "end", end, "direction", dir))).get("result"));
      }
    }
    out.add(data(ok(get(s, "/loki/api/v1/query_range", grafana("team-a", true), "query",
        "sum by (app) (count_over_time({env=\"prod\"}[10m]))", "start", start, "end", end, "step", "600000ms"))).get("result"));
    out.add(listData(get(s, "/loki/api/v1/labels", grafana("team-a|team-b", false), "start", start, "end", end)));
    out.add(listData(get(s, "/loki/api/v1/label/app/values", grafana("team-a", false), "start", start, "end", end)));
    out.add(seriesOf(listData(get(s, "/loki/api/v1/series", logcli("team-a|team-b"), "match", "{env=~\".+\"}", "start",
        start, "end", end))));
    return out;
  }

  @Test
  void restartOverTheSameDataAnswersTheSameWithEachEntryOnce(@TempDir Path other) throws Exception {
    Path data = other.resolve("data");
    List<E> first = fixture(0, 150);
    List<E> second = fixture(150, 400);
    List<E> all = new ArrayList<>(first);
    all.addAll(second);
    List<Object> before;
    try (LodgeServer s = start(data, "")) {
      push(s, first);
      assertThat(data(ok(get(s, "/loki/api/v1/query_range", logcli("team-a"), "query", "{app=~\".+\"}", "limit", "5000",
          "start", Long.toString(T0), "end", Long.toString(END), "direction", "FORWARD"))).get("result"))
          .isEqualTo(streams(first, tenant("team-a"), T0, END, 5000, true, false, false));
      assertThat(s.ingester().flushAll()).isPositive();
      push(s, second);
      before = answers(s);
    }
    // the answers are the oracle's
    assertThat(before.get(0)).isEqualTo(streams(all, tenant("team-a"), T0, END, 5000, true, false, false));
    assertThat(before.get(1)).isEqualTo(streams(all, tenant("team-b"), T0, END, 5000, true, false, false));
    assertThat(before.get(2)).isEqualTo(streams(all, e -> true, T0, END, 5000, true, false, true));
    assertThat(before.get(3)).isEqualTo(streams(all, tenant("team-a"), T0, END, 5000, false, false, false));
    assertThat(before.get(5)).isEqualTo(streams(all, e -> true, T0, END, 5000, false, false, true));
    assertThat(before.get(7)).isEqualTo(labelNames(all, List.of("team-a", "team-b"), true));
    assertThat(before.get(9)).isEqualTo(series(all, e -> true, T0, END, true));

    try (LodgeServer s = start(data, "")) {
      List<Object> after = answers(s);
      assertThat(after).isEqualTo(before);
      // each entry exactly once: every pushed line at its time, nothing else
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> streams = (List<Map<String, Object>>) after.get(2);
      Map<String, Integer> seen = new HashMap<>();
      for (Map<String, Object> st : streams) {
        for (Object v : (List<?>) st.get("values")) {
          List<?> entry = (List<?>) v;
          seen.merge(st.get("stream") + "@" + entry.get(0) + "@" + entry.get(1), 1, Integer::sum);
        }
      }
      assertThat(seen).hasSize(all.size());
      assertThat(seen.values()).allMatch(c -> c == 1);
    }
  }
}
