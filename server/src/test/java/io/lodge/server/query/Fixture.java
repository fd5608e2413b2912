package io.lodge.server.query;

import io.lodge.server.query.QueryApiServer.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fixed data the end-to-end tests push, and what the generator knows about it (the oracle): four
 * streams of real loghub lines, raw (OpenSSH), rendered as JSON (Apache) and as logfmt (HDFS), with
 * structured metadata on the JSON stream, plus a stream with a numeric-only label.
 */
final class Fixture {
  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  private static final Path LOGHUB = io.lodge.ingester.testing.LoghubData.dir();

  /** One pushed stream: labels, entries, and per entry the fields the generator put in the line. */
  record Stream(Map<String, String> labels, List<Entry> entries, List<Map<String, String>> fields, String parser) {}

  /** The start of the data: a whole hour, one hour ago, so everything is recent and in the past. */
  final long t0 = (Instant.now().getEpochSecond() / 3600 - 1) * 3600 * S;
  final long end = t0 + 3600 * S;
  final List<Stream> streams = new ArrayList<>();
  final Stream sshd;
  final Stream api;
  final Stream worker;
  final Stream num;
  /** Types the generator meant for each field (what detected_fields must report). */
  static final Map<String, String> TYPES = Map.ofEntries(Map.entry("level", "string"), Map.entry("status", "int"),
      Map.entry("latency", "duration"), Map.entry("ok", "boolean"), Map.entry("size", "bytes"),
      Map.entry("ratio", "float"), Map.entry("msg", "string"), Map.entry("req_method", "string"),
      Map.entry("trace_id", "string"), Map.entry("job", "string"), Map.entry("duration", "duration"),
      Map.entry("count", "int"));

  Fixture() throws IOException {
    List<String> ssh = read("OpenSSH_2k.log").subList(0, 600);
    List<Entry> e = new ArrayList<>();
    for (int i = 0; i < ssh.size(); i++) e.add(new Entry(t0 + i * 3 * S, ssh.get(i), Map.of()));
    sshd = add(new Stream(labels("app", "sshd", "env", "prod"), e, null, null));

    List<String> apache = read("Apache_2k.log");
    List<Entry> je = new ArrayList<>();
    List<Map<String, String>> jf = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String line = apache.get(i);
      String level = line.substring(line.indexOf("] [") + 3, line.indexOf(']', line.indexOf("] [") + 3));
      Map<String, String> f = new TreeMap<>();
      f.put("level", level);
      f.put("status", Integer.toString(200 + (i % 3) * 100));
      f.put("latency", (i % 7 + 1) + "ms");
      f.put("ok", Boolean.toString(i % 2 == 0));
      f.put("size", (i % 5 + 1) + "KB");
      f.put("ratio", Double.toString((i % 4) * 0.25 + 0.125));
      f.put("msg", line);
      f.put("req_method", i % 2 == 0 ? "GET" : "POST");
      String json = "{\"level\":\"" + level + "\",\"status\":" + f.get("status") + ",\"latency\":\"" + f.get("latency")
          + "\",\"ok\":" + f.get("ok") + ",\"size\":\"" + f.get("size") + "\",\"ratio\":" + f.get("ratio")
          + ",\"msg\":\"" + line.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"req\":{\"method\":\""
          + f.get("req_method") + "\"},\"tags\":[\"a\",\"b\"]}";
      je.add(new Entry(t0 + i * 7 * S + MS, json, Map.of("trace_id", "t" + (i % 13))));
      jf.add(f);
    }
    api = add(new Stream(labels("app", "api", "env", "dev"), je, jf, "json"));

    List<String> hdfs = read("HDFS_2k.log");
    List<Entry> le = new ArrayList<>();
    List<Map<String, String>> lf = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      String line = hdfs.get(i);
      Map<String, String> f = new TreeMap<>();
      f.put("level", line.split(" ")[3].toLowerCase());
      f.put("job", "j" + (i % 5));
      f.put("duration", (i % 9 + 1) + ".5s");
      f.put("count", Integer.toString(i));
      f.put("ratio", "0." + (i % 10));
      f.put("msg", line);
      String logfmt = "level=" + f.get("level") + " job=" + f.get("job") + " duration=" + f.get("duration") + " count="
          + i + " ratio=" + f.get("ratio") + " msg=\"" + line.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      le.add(new Entry(t0 + i * 11 * S + 2 * MS, logfmt, Map.of()));
      lf.add(f);
    }
    worker = add(new Stream(labels("app", "worker", "env", "dev", "pod", "p-1"), le, lf, "logfmt"));

    List<Entry> ne = new ArrayList<>();
    for (int k = 0; k < 5; k++) ne.add(new Entry(t0 + k * 100 * S + 3 * MS, "build step " + k + " done", Map.of()));
    num = add(new Stream(labels("app", "num", "build", "1234"), ne, null, null));
  }

  private Stream add(Stream s) {
    streams.add(s);
    return s;
  }

  private static Map<String, String> labels(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  private static List<String> read(String file) throws IOException {
    return Files.readAllLines(LOGHUB.resolve(file), StandardCharsets.UTF_8);
  }

  void pushAll(QueryApiServer server) throws Exception {
    for (Stream s : streams) server.push(s.labels(), s.entries());
  }

  /** Bytes Loki counts for an entry: the line plus structured metadata names and values (UTF-8). */
  static long bytes(Entry e) {
    long n = e.line().getBytes(StandardCharsets.UTF_8).length;
    for (var m : e.metadata().entrySet()) {
      n += m.getKey().getBytes(StandardCharsets.UTF_8).length + m.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }

  /** {@code {"a":"1","b":"2"}} for a sorted label map. */
  static String jsonLabels(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("{");
    for (var l : new TreeMap<>(labels).entrySet()) {
      if (sb.length() > 1) sb.append(',');
      sb.append('"').append(l.getKey()).append("\":\"").append(l.getValue()).append('"');
    }
    return sb.append('}').toString();
  }

  /** Loki's canonical {@code {a="1", b="2"}} (no escapes needed for the fixture's values). */
  static String canonical(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("{");
    for (var l : new TreeMap<>(labels).entrySet()) {
      if (sb.length() > 1) sb.append(", ");
      sb.append(l.getKey()).append("=\"").append(l.getValue()).append('"');
    }
    return sb.append('}').toString();
  }

  static Map<String, String> subset(Map<String, String> labels, java.util.Collection<String> names) {
    Map<String, String> out = new LinkedHashMap<>();
    for (var l : new TreeMap<>(labels).entrySet()) if (names.contains(l.getKey())) out.put(l.getKey(), l.getValue());
    return out;
  }
}
