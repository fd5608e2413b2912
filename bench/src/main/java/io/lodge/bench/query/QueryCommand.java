package io.lodge.bench.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lodge.bench.load.LoghubLines;
import io.lodge.ingester.model.UnixNanos;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lodge bench query}: loads a dataset through the push API (or uses what the server holds),
 * then runs a fixed query mix through {@code /loki/api/v1/query_range}, once "cold" (the first time the
 * server sees the query; its page cache may still be warm) and {@code --runs} times warm. A query the
 * server refuses with 400 or 501 is reported as unsupported, not as a failure.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Query latency benchmark over /loki/api/v1/query_range.")
public final class QueryCommand implements Callable<Integer> {
  @Option(names = "--url", defaultValue = "http://127.0.0.1:3100", description = "server base URL (default: ${DEFAULT-VALUE})")
  URI url;
  @Option(names = "--tenant", description = "X-Scope-OrgID header (none by default)")
  String tenant;
  @Option(names = "--load-lines", defaultValue = "500000", description = "lines to push before querying; 0 = query existing data (default: ${DEFAULT-VALUE})")
  long loadLines;
  @Option(names = "--streams", defaultValue = "100", description = "streams of the loaded dataset (default: ${DEFAULT-VALUE})")
  int streams;
  @Option(names = "--needle", description = "rare token for the needle search (default: a fresh one, pushed with the dataset)")
  String needle;
  @Option(names = "--since", defaultValue = "1h", description = "query range ending now (default: ${DEFAULT-VALUE})")
  Duration since;
  @Option(names = "--runs", defaultValue = "5", description = "warm repetitions per query (default: ${DEFAULT-VALUE})")
  int runs;
  @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;
  @Option(names = "--data", description = "directory of loghub *.log files")
  Path data;
  @Option(names = "--local", description = "start an in-process Lodge server on --dir (or a temp directory) instead of using --url")
  boolean local;
  @Option(names = "--dir", description = "data directory of the --local server (default: a temp directory, deleted at the end)")
  Path dir;
  @Option(names = "--only", split = ",", description = "run only these queries of the mix (names as printed)")
  List<String> only;
  @Option(names = "--chunk-report", description = "with --local: after loading, print where the chunks' bytes go")
  boolean chunkReport;
  @Option(names = "--recompact", split = ",", description = "with --chunk-report: also rebuild the chunks with BYTES:LEVEL blocks (e.g. 1048576:9) and print their size")
  List<String> recompact;
  @Option(names = "--flush", description = "after loading, flush everything to chunks (POST /flush) before querying")
  boolean flush;
  @Option(names = "--line-dictionaries", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "with --local: compress block lines with per-service dictionaries (ingester.line_dictionaries.enabled; default true)")
  boolean lineDictionaries;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
  private java.io.PrintWriter out;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final JsonFactory json = new JsonFactory();

  @Override
  public Integer call() throws IOException, InterruptedException {
    out = spec.commandLine().getOut();
    if (!local) return run(url.toString().replaceAll("/+$", ""), null);
    try (LocalServer server = LocalServer.start(dir, lineDictionaries)) {
      out.printf(Locale.ROOT, "in-process server on %s (port %d)%n", server.dataDir(), server.port());
      return run("http://127.0.0.1:" + server.port(), server);
    }
  }

  private int run(String base, LocalServer server) throws IOException, InterruptedException {
    long rawBytes = 0;
    if (loadLines > 0) {
      LoghubLines lines = LoghubLines.load(LoghubLines.locate(data));
      DatasetLoader loader = new DatasetLoader(URI.create(base), tenant);
      long t0 = System.nanoTime();
      rawBytes = loader.load(lines, streams, loadLines, seed);
      if (needle == null) needle = String.format(Locale.ROOT, "needle%016x", new SplittableRandom(seed).nextLong());
      loader.pushNeedle(lines, needle);
      out.printf(Locale.ROOT, "loaded %,d lines (%,d line bytes) over %d streams in %.1f s; needle %s; load average %s%n",
          loadLines, rawBytes, streams, (System.nanoTime() - t0) / 1e9, needle, LocalServer.loadAverage());
      if (flush) {
        long f0 = System.nanoTime();
        if (server != null) server.flush(); else loader.flush();
        out.printf(Locale.ROOT, "flushed to chunks in %.1f s%n", (System.nanoTime() - f0) / 1e9);
      }
      if (server != null) {
        // dictionaries live beside the chunks (<tenant>/dicts/): counted with them
        long index = LocalServer.sizeOf(server.dataDir().resolve("index"));
        long wal = LocalServer.sizeOf(server.dataDir().resolve("wal"));
        long chunks = LocalServer.sizeOf(server.dataDir().resolve("chunks"));
        out.printf(Locale.ROOT, "on disk: chunks and line dictionaries %,d B + index %,d B = %,d B, %.2fx smaller than the %,d line bytes (wal %,d B)%n",
            chunks, index, chunks + index, rawBytes / (double) Math.max(1, chunks + index), rawBytes, wal);
        if (chunkReport) {
          List<ChunkReport.Setting> settings = new ArrayList<>();
          if (recompact != null) for (String r : recompact) settings.add(ChunkReport.Setting.parse(r));
          ChunkReport.print(server.dataDir().resolve("chunks").resolve("objects"), rawBytes, settings, out);
          out.flush();
        }
      }
    }
    List<QueryOutcome> outcomes = new ArrayList<>();
    for (Map.Entry<String, String> q : mix().entrySet()) {
      if (only != null && !only.contains(q.getKey())) continue;
      outcomes.add(run(base, q.getKey(), q.getValue()));
    }
    out.printf("%-18s %8s %10s %10s %10s %10s %8s %10s %9s  %s%n", "query", "status", "first", "warm min", "warm p50",
        "cpu p50", "streams", "entries", "load avg", "logql");
    for (QueryOutcome o : outcomes) {
      if (o.supported()) {
        out.printf(Locale.ROOT, "%-18s %8d %10s %10s %10s %10s %8d %10d %9s  %s%n", o.name(), o.status(), ms(o.firstMicros()),
            ms(o.warmMin()), ms(o.warmMedian()), ms(o.warmCpuMedian()), o.series(), o.values(), o.loadAverage(), o.logql());
        if (rawBytes > 0 && o.warmMin() > 0 && FULL_SCANS.contains(o.name())) {
          out.printf(Locale.ROOT, "%-18s %s%n", "", scanRate(rawBytes, o));
        }
      } else {
        out.printf(Locale.ROOT, "%-18s %8s %10s %10s %10s %8s %10s  %s%n      -> %s%n", o.name(),
            o.status() == 400 || o.status() == 501 ? "unsupp." : "error", "-", "-", "-", "-", "-", o.logql(),
            o.status() + " " + o.message());
      }
    }
    out.flush();
    return outcomes.stream().allMatch(o -> o.supported() || o.status() == 400 || o.status() == 501) ? 0 : 1;
  }

  /** The loaded line bytes over the warm times: what a scan of everything would have to sustain. */
  private static String scanRate(long rawBytes, QueryOutcome o) {
    String s = String.format(Locale.ROOT, "(dataset bytes / warm min = %.2f GB/s", rawBytes / (o.warmMin() / 1e6) / 1e9);
    if (o.warmCpuMedian() > 0) {
      s += String.format(Locale.ROOT, "; / process CPU p50 = %.2f GB/s per core", rawBytes / (o.warmCpuMedian() / 1e6) / 1e9);
    }
    return s + ")";
  }

  /** The queries that read every line of the dataset, whose scan rate is worth printing. */
  private static final java.util.Set<String> FULL_SCANS =
      java.util.Set.of("needle", "brute-force", "error-count", "count-by-inst", "count-by-app", "rate-filtered");

  private Map<String, String> mix() {
    Map<String, String> m = new LinkedHashMap<>();
    if (needle != null) {
      // the needle as a whole word (separators on both sides), which the blocks' token filters can rule out
      m.put("needle-token", "{job=\"lodge-bench\"} |= \" " + needle + " \"");
      // the needle as a bare substring: it may sit inside a longer token, so no token filter can rule a block out
      m.put("needle", "{job=\"lodge-bench\"} |= \"" + needle + "\"");
      // the needle inside a regex: the literal every match contains goes to the store as for |=; with a
      // separator on each side of the needle in that literal, the token filters rule blocks out too
      m.put("needle-regex", "{job=\"lodge-bench\"} |~ \"" + needle + " (and|or) nothing\"");
      m.put("needle-regex-token", "{job=\"lodge-bench\"} |~ \" " + needle + " (and|or) nothing\"");
      // a piece of the needle's token: the token filters cannot rule any block out, so this scans every line
      m.put("brute-force", "{job=\"lodge-bench\"} |= \"" + needle.substring(1, needle.length() - 1) + "\"");
    }
    m.put("error-count", "sum(count_over_time({job=\"lodge-bench\"} |= \"error\" [1m]))");
    m.put("count-by-inst", "sum by (instance) (count_over_time({job=\"lodge-bench\"}[1m]))");
    m.put("one-stream", "{instance=\"s00007\"}");
    m.put("one-app", "{app=\"HDFS\"}");
    m.put("all-streams", "{job=\"lodge-bench\"}");
    m.put("filter-many", "{job=\"lodge-bench\"} |= \"INFO\"");
    m.put("filter-regex", "{job=\"lodge-bench\"} |~ \"(?i)error|fail\"");
    m.put("count-by-app", "sum by (app) (count_over_time({job=\"lodge-bench\"}[1m]))");
    m.put("rate-filtered", "sum(rate({job=\"lodge-bench\"} |= \"error\" [5m]))");
    m.put("topk-instances", "topk(5, sum by (instance) (count_over_time({job=\"lodge-bench\"} |= \"INFO\" [5m])))");
    m.put("pattern-pipeline", "{app=\"Apache\"} | pattern \"[<_>] [<level>] <_>\" | level=\"error\"");
    return m;
  }

  private QueryOutcome run(String base, String name, String logql) throws IOException, InterruptedException {
    long end = UnixNanos.now();
    long start = end - since.toNanos();
    URI uri = URI.create(base + "/loki/api/v1/query_range?query=" + URLEncoder.encode(logql, StandardCharsets.UTF_8)
        + "&start=" + start + "&end=" + end + "&limit=1000&step=60");
    long t0 = System.nanoTime();
    HttpResponse<String> first = send(uri);
    long firstMicros = (System.nanoTime() - t0) / 1000;
    if (first.statusCode() != 200) {
      return new QueryOutcome(name, logql, first.statusCode(), first.body().strip(), firstMicros, List.of(), List.of(),
          0, 0, LocalServer.loadAverage());
    }
    long[] counts = count(first.body());
    List<Long> warm = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long c = LocalServer.processCpuNanos();
      long t = System.nanoTime();
      send(uri);
      warm.add((System.nanoTime() - t) / 1000);
      // only meaningful when the server runs in this process (--local): then it is the server's CPU
      if (local && c >= 0) cpu.add((LocalServer.processCpuNanos() - c) / 1000);
    }
    return new QueryOutcome(name, logql, 200, "", firstMicros, warm, cpu, counts[0], counts[1], LocalServer.loadAverage());
  }

  private HttpResponse<String> send(URI uri) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET();
    if (tenant != null) b.header("X-Scope-OrgID", tenant);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Streams or series in the answer, and entries or points over all of them. */
  private long[] count(String body) throws IOException {
    long series = 0, values = 0;
    try (JsonParser p = json.createParser(body)) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && "values".equals(p.currentName())) {
          series++;
          p.nextToken();
          while (p.nextToken() == JsonToken.START_ARRAY) {
            values++;
            p.skipChildren();
          }
        }
      }
    }
    return new long[] {series, values};
  }

  private static String ms(long micros) {
    return micros < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

}
