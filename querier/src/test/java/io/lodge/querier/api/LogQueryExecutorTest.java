package io.lodge.querier.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lodge.config.LodgeConfig;
import io.lodge.ingester.Ingester;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.LogQuery;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: loghub OpenSSH lines pushed raw, as logfmt and as JSON into a real {@link Ingester}, then
 * log queries through {@link LogQueryExecutor}. Expected results are computed in the test from the
 * entries the reader returns without a pipeline (the ingester adds labels and metadata of its own) with
 * plain Java: String.contains, java.util.regex, InetAddress, and the fields the test itself rendered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogQueryExecutorTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = (Instant.now().getEpochSecond() - 3600) * SECOND;
  private static final int LINES = 600;
  private static final Pattern PID = Pattern.compile("sshd\\[(\\d+)\\]");

  private Ingester ingester;
  private final Map<String, Integer> lenByN = new TreeMap<>();

  /** An entry as stored: what the pipeline receives. */
  private record Stored(LabelSet labels, long ts, String line, List<Label> metadata) {}

  @BeforeAll
  void pushLoghub(@TempDir Path dir) throws Exception {
    LodgeConfig d = LodgeConfig.defaults();
    ingester = new Ingester(d.withPathPrefix(dir.resolve("data")), new PrometheusRegistry());
    ingester.start();
    List<String> lines = Files.readAllLines(io.lodge.ingester.testing.LoghubData.file("OpenSSH_2k.log")).subList(0, LINES);
    List<LogEntry> raw = new ArrayList<>();
    List<LogEntry> logfmt = new ArrayList<>();
    List<LogEntry> json = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      Matcher m = PID.matcher(l);
      String pid = m.find() ? m.group(1) : "0";
      lenByN.put(Integer.toString(i), l.length());
      long ts = T0 + i * SECOND;
      raw.add(LogEntry.of(ts, l));
      logfmt.add(LogEntry.of(ts + 1_000_000, "n=" + i + " len=" + l.length() + " msg=\"" + escape(l) + "\"",
          List.of(new Label("pid", pid))));
      json.add(LogEntry.of(ts + 2_000_000, "{\"n\":" + i + ",\"len\":" + l.length() + ",\"msg\":\"" + escape(l)
          + "\",\"proc\":{\"name\":\"sshd\",\"pid\":\"" + pid + "\"}}"));
    }
    PushOutcome o = ingester.pushService().push("t", new PushRequest(List.of(
        new PushStream(LabelSet.of("app", "ssh", "format", "raw"), raw),
        new PushStream(LabelSet.of("app", "ssh", "format", "logfmt"), logfmt),
        new PushStream(LabelSet.of("app", "ssh", "format", "json"), json)))).get();
    assertThat(o.status()).as(o.toString()).isEqualTo(204);
    List<LogEntry> dup = new ArrayList<>();
    for (int i = 0; i < 5; i++) dup.add(LogEntry.of(T0 + i * SECOND, lines.get(i)));
    o = ingester.pushService().push("t", new PushRequest(List.of(
        new PushStream(LabelSet.of("app", "dup", "x", "1"), dup), new PushStream(LabelSet.of("app", "dup", "x", "2"), dup)))).get();
    assertThat(o.status()).as(o.toString()).isEqualTo(204);
  }

  @AfterAll
  void close() {
    if (ingester != null) ingester.close();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private List<Stored> stored(String format) {
    List<LabelMatcher> ms = new ArrayList<>(List.of(LabelMatcher.eq("app", "ssh")));
    if (format != null) ms.add(LabelMatcher.eq("format", format));
    List<Stored> out = new ArrayList<>();
    try (EntryIterator it = ingester.reader().select(new SelectRequest("t", ms, T0 - SECOND, T0 + 3600 * SECOND,
        Direction.FORWARD))) {
      while (it.next()) {
        out.add(new Stored(it.labels(), it.timestampNanos(), new String(it.line(), StandardCharsets.UTF_8),
            List.copyOf(it.metadata())));
      }
    }
    assertThat(out).hasSize(format == null ? 3 * LINES : LINES);
    return out;
  }

  private Object run(String query, Direction dir, int limit, boolean categorize, long interval) throws IOException {
    LogQuery q = (LogQuery) LogqlParser.parse(query);
    LogQueryParams p = new LogQueryParams(query, new TimeRange(T0 - SECOND, T0 + 3600 * SECOND), limit, dir);
    byte[] json = new LogQueryExecutor().execute(ingester.reader(), "t", q, p, categorize, interval);
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      parser.nextToken();
      return read(parser);
    }
  }

  private static Object read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
          String k = p.currentName();
          p.nextToken();
          m.put(k, read(p));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p));
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getNumberValue();
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return p.getBooleanValue();
      }
      default -> throw new IllegalStateException("unexpected " + t);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object result(Object response) {
    Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) response).get("data");
    assertThat(data.get("resultType")).isEqualTo("streams");
    return data.get("result");
  }

  /** One expected entry: its result labels (full set), time, line, and the categorized third element. */
  private record Out(Map<String, String> labels, long ts, String line, Map<String, Object> third) {}

  /** Orders entries by direction, applies interval and limit, groups by labels as Loki renders them. */
  private static List<Object> expect(List<Out> entries, Direction dir, int limit, long interval) {
    List<Out> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Out::ts));
    if (dir == Direction.BACKWARD) sorted = sorted.reversed();
    List<Out> picked = new ArrayList<>();
    Long last = null;
    for (Out o : sorted) {
      if (picked.size() == limit) break;
      if (interval > 0 && last != null && Math.abs(o.ts() - last) < interval) continue;
      picked.add(o);
      last = o.ts();
    }
    Map<String, List<Object>> groups = new TreeMap<>(dir == Direction.FORWARD ? Comparator.<String>naturalOrder()
        : Comparator.<String>reverseOrder());
    Map<String, Map<String, String>> labelsOf = new LinkedHashMap<>();
    for (Out o : picked) {
      String key = LabelSet.of(o.labels()).canonical();
      labelsOf.put(key, o.labels());
      List<Object> v = new ArrayList<>(List.of(Long.toString(o.ts()), o.line()));
      if (o.third() != null) v.add(o.third());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
    }
    List<Object> out = new ArrayList<>();
    groups.forEach((k, values) -> {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("stream", new TreeMap<>(labelsOf.get(k)));
      s.put("values", values);
      out.add(s);
    });
    return out;
  }

  private static Map<String, String> all(Stored s, Map<String, String> parsed) {
    Map<String, String> m = new TreeMap<>();
    for (Label l : s.labels().labels()) m.put(l.name(), l.value());
    for (Label l : s.metadata()) m.put(l.name(), l.value());
    m.putAll(parsed);
    return m;
  }

  private static List<Out> plain(List<Stored> in, Predicate<String> keep) {
    List<Out> out = new ArrayList<>();
    for (Stored s : in) if (keep.test(s.line())) out.add(new Out(all(s, Map.of()), s.ts(), s.line(), null));
    return out;
  }

  @Test
  void lineFiltersBackwardWithLimit() throws IOException {
    String q = "{app=\"ssh\", format=\"raw\"} |= \"Failed password\" != \"invalid user\"";
    List<Out> exp = plain(stored("raw"), l -> l.contains("Failed password") && !l.contains("invalid user"));
    assertThat(exp.size()).isGreaterThan(25);
    assertThat(result(run(q, Direction.BACKWARD, 25, false, 0))).isEqualTo(expect(exp, Direction.BACKWARD, 25, 0));
    ingester.flushAll();
    assertThat(result(run(q, Direction.BACKWARD, 25, false, 0))).as("from chunks")
        .isEqualTo(expect(exp, Direction.BACKWARD, 25, 0));
  }

  @Test
  void ipFilterMatchesWhatInetAddressSays() throws IOException {
    Pattern v4 = Pattern.compile("(?<![0-9.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?![0-9]|\\.\\d)");
    Function<String, Boolean> oracle = line -> {
      Matcher m = v4.matcher(line);
      while (m.find()) {
        try {
          byte[] a = InetAddress.getByName(m.group(1)).getAddress();
          if ((a[0] & 0xff) == 173 && (a[1] & 0xff) == 234 && (a[2] & 0xff) == 31) return true;
        } catch (IOException e) {
          // not an address (a field above 255): Go's parser refuses it too
        }
      }
      return false;
    };
    List<Out> exp = plain(stored("raw"), oracle::apply);
    assertThat(exp).isNotEmpty();
    assertThat(result(run("{app=\"ssh\", format=\"raw\"} |= ip(\"173.234.31.0/24\")", Direction.FORWARD, 1000, false, 0)))
        .isEqualTo(expect(exp, Direction.FORWARD, 1000, 0));
  }

  @Test
  void logfmtNumericFilterAndDrop() throws IOException {
    List<Out> exp = new ArrayList<>();
    for (Stored s : stored("logfmt")) {
      String n = s.line().substring(2, s.line().indexOf(' '));
      int len = lenByN.get(n);
      if (len > 120) exp.add(new Out(all(s, Map.of("n", n, "len", Integer.toString(len))), s.ts(), s.line(), null));
    }
    assertThat(exp.size()).isGreaterThan(40);
    assertThat(result(run("{app=\"ssh\", format=\"logfmt\"} | logfmt | len > 120 | drop msg", Direction.FORWARD, 40,
        false, 0))).isEqualTo(expect(exp, Direction.FORWARD, 40, 0));
  }

  @Test
  void jsonKeepWithCategorizedLabels() throws IOException {
    List<Stored> in = stored("json");
    String pid = null;
    for (Stored s : in) {
      Matcher m = Pattern.compile("\"pid\":\"(\\d+)\"").matcher(s.line());
      if (m.find() && !m.group(1).equals("0")) {
        pid = m.group(1);
        break;
      }
    }
    List<Out> exp = new ArrayList<>();
    for (Stored s : in) {
      if (!s.line().endsWith("\"pid\":\"" + pid + "\"}}")) continue;
      String n = s.line().substring(5, s.line().indexOf(','));
      exp.add(new Out(Map.of(), s.ts(), s.line(), Map.of("parsed", Map.of("n", n, "proc_pid", pid))));
    }
    assertThat(exp).isNotEmpty();
    Object actual = run("{app=\"ssh\", format=\"json\"} | json | proc_pid=\"" + pid + "\" | keep n, proc_pid",
        Direction.FORWARD, 100, true, 0);
    assertThat(result(actual)).isEqualTo(expect(exp, Direction.FORWARD, 100, 0));
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) actual).get("data");
    assertThat(data.get("encodingFlags")).isEqualTo(List.of("categorize-labels"));
  }

  @Test
  void categorizedEntriesCarryMetadataAndParsedLabels() throws IOException {
    List<Out> exp = new ArrayList<>();
    for (Stored s : stored("logfmt")) {
      String n = s.line().substring(2, s.line().indexOf(' '));
      if (!n.matches("1[0-9]")) continue;
      Map<String, String> stream = new TreeMap<>();
      for (Label l : s.labels().labels()) stream.put(l.name(), l.value());
      Map<String, String> md = new TreeMap<>();
      for (Label l : s.metadata()) md.put(l.name(), l.value());
      Map<String, Object> third = new LinkedHashMap<>();
      if (!md.isEmpty()) third.put("structuredMetadata", md);
      third.put("parsed", Map.of("n", n));
      exp.add(new Out(stream, s.ts(), s.line(), third));
    }
    assertThat(exp).hasSize(10);
    assertThat(result(run("{app=\"ssh\", format=\"logfmt\"} | logfmt n | n=~\"1[0-9]\"", Direction.FORWARD, 100, true,
        0))).isEqualTo(expect(exp, Direction.FORWARD, 100, 0));
  }

  @Test
  void intervalThinsOneStream() throws IOException {
    Pattern re = Pattern.compile("sshd\\[2[0-9]+\\]");
    List<Out> exp = plain(stored("raw"), l -> re.matcher(l).find());
    long interval = 7 * SECOND;
    List<Object> expected = expect(exp, Direction.FORWARD, 1000, interval);
    assertThat(result(run("{app=\"ssh\", format=\"raw\"} |~ \"sshd\\\\[2[0-9]+\\\\]\"", Direction.FORWARD, 1000,
        false, interval))).isEqualTo(expected);
  }

  @Test
  void intervalAndLimitAreSharedAcrossStreams() throws IOException {
    List<Out> exp = plain(stored(null), l -> l.contains("preauth"));
    long interval = 3 * SECOND;
    assertThat(result(run("{app=\"ssh\"} |= \"preauth\"", Direction.BACKWARD, 30, false, interval)))
        .isEqualTo(expect(exp, Direction.BACKWARD, 30, interval));
  }

  @Test
  void entriesThatBecomeIdenticalAreReturnedOnce() throws IOException {
    // Two streams with the same entries; dropping the label that told them apart makes them duplicates.
    assertThat(valueCount(result(run("{app=\"dup\"} | drop x", Direction.FORWARD, 100, false, 0)))).isEqualTo(5);
    assertThat(valueCount(result(run("{app=\"dup\"}", Direction.FORWARD, 100, false, 0)))).isEqualTo(10);
  }

  @SuppressWarnings("unchecked")
  private static int valueCount(Object result) {
    int n = 0;
    for (Object s : (List<Object>) result) n += ((List<Object>) ((Map<String, Object>) s).get("values")).size();
    return n;
  }

  @Test
  void encodingFlagsHeader() {
    assertThat(LogQueryExecutor.categorizeLabels(null)).isFalse();
    assertThat(LogQueryExecutor.categorizeLabels("categorize-labels")).isTrue();
    assertThat(LogQueryExecutor.categorizeLabels("other, categorize-labels")).isTrue();
    assertThat(LogQueryExecutor.categorizeLabels("categorize")).isFalse();
  }

  @Test
  void intervalParameter() {
    assertThat(LogQueryExecutor.intervalNanos(k -> null)).isZero();
    assertThat(LogQueryExecutor.intervalNanos(k -> "1m30s")).isEqualTo(90 * SECOND);
    assertThat(LogQueryExecutor.intervalNanos(k -> "0.5")).isEqualTo(SECOND / 2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogQueryExecutor.intervalNanos(k -> "-1"))
        .hasMessage("interval must be >= 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogQueryExecutor.intervalNanos(k -> "1.5m"))
        .hasMessage("cannot parse \"1.5m\" to a valid duration");
  }
}
