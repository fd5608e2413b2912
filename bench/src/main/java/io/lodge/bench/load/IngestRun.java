package io.lodge.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One load run against a Loki push endpoint. Senders, one thread per connection, POST bodies from a
 * {@link BodySource}: {@link StreamedBodies} encodes them while the run sends, {@link PreEncodedBodies}
 * ({@code --pre-encode}) before the measured window. Closed loop ({@code rate == 0}): each connection
 * sends its next push when the previous one is answered. Open loop: pushes are due at fixed intervals
 * ({@code linesPerPush / rate} s) and latency counts from when a push was due, not from when a free
 * connection sent it, so a stalled server shows up in the percentiles (no coordinated omission).
 */
public final class IngestRun {
  private final IngestOptions options;
  private final LoghubLines data;
  private final PrintStream out;

  // totals count pushes sent after the warmup; the per-second report counts every push
  private final LongAdder ackedLines = new LongAdder();
  private final LongAdder secondLines = new LongAdder();
  private final LongAdder secondBytes = new LongAdder();
  private final LongAdder ackedBytes = new LongAdder();
  private final LongAdder wireBytes = new LongAdder();
  private final LongAdder pushes = new LongAdder();
  private final LongAdder stalls = new LongAdder();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final LatencyHistogram total = new LatencyHistogram();
  private final LatencyHistogram interval = new LatencyHistogram();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final Set<PushConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile long measureFrom;

  /** {@code out} receives the per-second and final report; null for none. */
  public IngestRun(IngestOptions options, LoghubLines data, PrintStream out) {
    this.options = options;
    this.data = data;
    this.out = out;
  }

  static String millis(long micros) {
    return micros < 10_000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1000.0) : (micros / 1000) + " ms";
  }

  static long wallNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** The label string of stream {@code i}: one loghub system per stream, cycling through the systems. */
  public static String streamLabels(LoghubLines data, int i) {
    return String.format(Locale.ROOT, "{app=\"%s\", instance=\"s%05d\", job=\"lodge-bench\"}", data.system(i % data.systemCount()), i);
  }

  private List<PushBodyGenerator> generators() {
    int g = Math.min(options.generators(), options.streams());
    List<PushBodyGenerator> gens = new ArrayList<>();
    for (int k = 0; k < g; k++) gens.add(generator(k, g));
    return gens;
  }

  /** The generator of streams {@code k, k+g, k+2g, ...}: share {@code k} of {@code g}. */
  private PushBodyGenerator generator(int k, int g) {
    List<String> labels = new ArrayList<>();
    List<Integer> systems = new ArrayList<>();
    for (int i = k; i < options.streams(); i += g) {
      labels.add(streamLabels(data, i));
      systems.add(i % data.systemCount());
    }
    return new PushBodyGenerator(data, labels.toArray(new String[0]), systems.stream().mapToInt(Integer::intValue).toArray(),
        options.linesPerPush(), Math.max(1, options.streamsPerPush()), options.seed() * 1_000_003L + k, IngestRun::wallNanos);
  }

  /** Runs for the configured duration and returns the totals; prints a line per second to {@code out}. */
  public IngestResult run() throws InterruptedException {
    MachineSpeed speedBefore = options.dryRun() ? null : MachineSpeed.measure();
    Optional<Long> pid = options.pid() > 0 ? Optional.of(options.pid())
        : options.dryRun() ? Optional.empty() : ProcessStats.findListener(options.url());
    Optional<ProcessStats.Sample> before = pid.flatMap(ProcessStats::sample);
    Map<String, Double> threadsBefore = pid.map(ProcessStats::threadCpu).orElse(Map.of());
    Optional<ProcessStats.Sample> selfBefore = ProcessStats.sample(ProcessHandle.current().pid());
    Optional<String> metricsBefore = options.dryRun() ? Optional.empty() : ServerMetrics.fetch(options.url());
    Optional<CpuSteal> stealBefore = CpuSteal.sample();
    MetricsScraper scraper = options.dryRun() || options.scrapeInterval().isZero() ? null
        : new MetricsScraper(options.url(), options.scrapeInterval());

    long warmup = options.warmup().toNanos();
    double intervalNanos = options.intervalNanos();
    int ahead = Math.max(16, options.connections() * 4);
    BodySource warm = warmup > 0 || !options.preEncode() ? new StreamedBodies(generators(), ahead) : null;
    PreEncodedBodies preEncoded = null;
    if (options.preEncode() && warmup == 0) { // nothing to encode them during: all before the clock starts
      preEncoded = preEncode(IngestRun.wallNanos(), intervalNanos);
      preEncoded.awaitAll();
    }

    long start = System.nanoTime();
    measureFrom = start + warmup;
    if (options.preEncode() && warmup > 0) preEncoded = preEncode(IngestRun.wallNanos() + warmup, intervalNanos);
    BodySource measured = preEncoded != null ? preEncoded : warm;
    long end = measureFrom + options.duration().toNanos();
    AtomicLong slots = new AtomicLong();
    AtomicLong warmDue = new AtomicLong(start);
    List<Thread> senders = new ArrayList<>();
    for (int c = 0; c < options.connections(); c++) {
      senders.add(Thread.ofPlatform().daemon().name("bench-sender-" + c)
          .start(() -> send(warm, measured, end, intervalNanos, slots, warmDue)));
    }
    long lastLines = 0, lastBytes = 0, lastTick = start;
    int second = 0;
    while (senders.stream().anyMatch(Thread::isAlive)) {
      long nextTick = start + (second + 1) * 1_000_000_000L;
      for (Thread s : senders) s.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime())));
      long now = System.nanoTime();
      if (now - end > STUCK_AFTER_END_NANOS) abortConnections(); // a write to a server that stopped reading has no timeout
      if (now < nextTick) continue;
      second++;
      long lines = secondLines.sum(), bytes = secondBytes.sum();
      if (warmup > 0 && second == Math.round(warmup / 1e9)) {
        before = pid.flatMap(ProcessStats::sample);
        threadsBefore = pid.map(ProcessStats::threadCpu).orElse(Map.of());
        selfBefore = ProcessStats.sample(ProcessHandle.current().pid());
        metricsBefore = ServerMetrics.fetch(options.url());
        stealBefore = CpuSteal.sample();
        total.reset();
      }
      double dt = (now - lastTick) / 1e9;
      LatencyHistogram h = new LatencyHistogram();
      synchronized (interval) {
        h.add(interval);
        interval.reset();
      }
      if (out != null && !options.quiet()) {
        Optional<ProcessStats.Sample> b0 = before;
        String server = pid.flatMap(ProcessStats::sample).map(s -> String.format(Locale.ROOT, "  rss %,d MB  cpu %.1f s",
            s.rssBytes() >> 20, s.cpuSeconds() - b0.map(ProcessStats.Sample::cpuSeconds).orElse(0.0))).orElse("");
        out.printf(Locale.ROOT, "%4ds%s %,10d lines/s  %6.1f MB/s  p50 %s  p99 %s  errors %d%s%n", second,
            start + second * 1_000_000_000L <= measureFrom ? "w" : " ",
            Math.round((lines - lastLines) / dt), (bytes - lastBytes) / dt / 1e6, millis(h.quantile(0.5)),
            millis(h.quantile(0.99)), errorCount(), server);
      }
      lastLines = lines;
      lastBytes = bytes;
      lastTick = now;
    }
    double seconds = (System.nanoTime() - measureFrom) / 1e9;
    if (scraper != null) scraper.close();
    if (warm != null) warm.close();
    if (preEncoded != null) preEncoded.close();

    Optional<ProcessStats.Sample> after = pid.flatMap(ProcessStats::sample);
    Map<String, Double> threadsAfter = pid.map(ProcessStats::threadCpu).orElse(Map.of());
    Optional<ProcessStats.Sample> selfAfter = ProcessStats.sample(ProcessHandle.current().pid());
    Optional<CpuSteal> stealAfter = CpuSteal.sample();
    double serverP50 = -1, serverP99 = -1;
    Optional<String> metricsAfter = metricsBefore.isPresent() ? ServerMetrics.fetch(options.url()) : Optional.empty();
    Optional<java.util.TreeMap<Double, Double>> serverBefore = metricsBefore.map(ServerPushLatency::parse).filter(m -> !m.isEmpty());
    Optional<java.util.TreeMap<Double, Double>> serverAfter = metricsAfter.map(ServerPushLatency::parse).filter(m -> !m.isEmpty());
    if (serverBefore.isPresent() && serverAfter.isPresent()) {
      serverP50 = ServerPushLatency.quantile(0.5, serverBefore.get(), serverAfter.get());
      serverP99 = ServerPushLatency.quantile(0.99, serverBefore.get(), serverAfter.get());
    }
    List<ServerGc.Collector> serverGc = metricsBefore.isPresent() && metricsAfter.isPresent()
        ? ServerGc.delta(ServerGc.parse(metricsBefore.get()), ServerGc.parse(metricsAfter.get())) : List.of();
    List<ServerSeals.Where> serverSeals = metricsBefore.isPresent() && metricsAfter.isPresent()
        ? ServerSeals.delta(ServerSeals.parse(metricsBefore.get()), ServerSeals.parse(metricsAfter.get())) : List.of();
    ServerWalSyncs.Syncs serverWalSyncs = metricsBefore.isPresent() && metricsAfter.isPresent()
        ? ServerWalSyncs.delta(ServerWalSyncs.parse(metricsBefore.get()), ServerWalSyncs.parse(metricsAfter.get()))
        : ServerWalSyncs.Syncs.NONE;
    Map<Integer, Long> counts = new TreeMap<>();
    statuses.forEach((k, v) -> counts.put(k, v.sum()));
    IngestResult r = new IngestResult(ackedLines.sum(), ackedBytes.sum(), wireBytes.sum(), pushes.sum(), counts, seconds,
        total.quantile(0.5), total.quantile(0.99), total.max(), stalls.sum(),
        after.map(ProcessStats.Sample::rssBytes).orElse(-1L),
        after.isPresent() && before.isPresent() ? after.get().cpuSeconds() - before.get().cpuSeconds() : -1,
        selfAfter.isPresent() && selfBefore.isPresent() ? selfAfter.get().cpuSeconds() - selfBefore.get().cpuSeconds() : -1,
        serverP50, serverP99, ProcessStats.threadCpuDelta(threadsBefore, threadsAfter), serverGc, serverSeals,
        serverWalSyncs);
    if (out != null) {
      if (firstError.get() != null) out.println("first error: " + firstError.get());
      if (preEncoded != null) out.println(preEncodeReport(preEncoded, start));
      out.println(r.headline());
      out.print(r.details());
      if (scraper != null) out.println(scraper.report());
      if (speedBefore != null) {
        Optional<CpuSteal> from = stealBefore;
        double steal = stealAfter.flatMap(a -> from.map(a::percentSince)).orElse(-1.0);
        out.print(MachineSpeed.report(speedBefore, MachineSpeed.measure(), steal));
      }
    }
    return r;
  }

  private PreEncodedBodies preEncode(long firstWallNanos, double intervalNanos) {
    Runtime rt = Runtime.getRuntime();
    long spare = (long) ((rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) * 0.8);
    // each encoder thread its own generator over every stream: they share out body numbers, not streams
    return new PreEncodedBodies(k -> generator(0, 1), options.generators(), options.measuredBodies(), firstWallNanos,
        intervalNanos, spare);
  }

  /** How long after the last push falls due senders may still be busy before their connections are closed. */
  private static final long STUCK_AFTER_END_NANOS = 90_000_000_000L;

  private void abortConnections() {
    for (PushConnection c : connections) {
      try {
        c.abort();
      } catch (IOException e) {
        firstError.compareAndSet(null, "I/O error closing a stuck connection: " + e);
      }
    }
  }

  private String preEncodeReport(PreEncodedBodies bodies, long start) {
    long encodedAtMeasureStart = bodies.encodedAtFirstSend();
    long ready = bodies.readyNanos();
    if (options.warmup().isZero()) {
      return String.format(Locale.ROOT, "generator  the measured window's %,d bodies were encoded before the clock started", bodies.count());
    }
    if (ready != 0 && ready <= measureFrom) {
      return String.format(Locale.ROOT, "generator  the measured window's %,d bodies were encoded %.1f s into the %.0f s warmup",
          bodies.count(), (ready - start) / 1e9, options.warmup().toNanos() / 1e9);
    }
    return String.format(Locale.ROOT, "generator  only %,d of the measured window's %,d bodies were encoded when it began, the"
        + " rest during it: lengthen --warmup or add --generators", Math.max(0, encodedAtMeasureStart), bodies.count());
  }

  private long errorCount() {
    return statuses.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() > 299).mapToLong(e -> e.getValue().sum()).sum();
  }

  private void send(BodySource warm, BodySource measured, long end, double intervalNanos, AtomicLong slots, AtomicLong warmDue) {
    PushConnection http = new PushConnection(options.pushUri(), "application/x-protobuf", options.tenant(), Duration.ofSeconds(60));
    connections.add(http);
    long step = (long) intervalNanos;
    try {
      while (true) {
        long now = System.nanoTime();
        boolean warming = now < measureFrom;
        long due;
        long slot = -1;
        if (warming) {
          // as fast as the server answers but no faster than the rate, so that no backlog outlives the warmup
          due = step == 0 ? now : Math.max(now, warmDue.getAndAccumulate(now, (d, n) -> Math.max(d, n) + step));
          if (due >= measureFrom) {
            parkUntil(measureFrom);
            continue;
          }
        } else if (step > 0) {
          slot = slots.getAndIncrement();
          due = measureFrom + (long) (slot * intervalNanos);
          if (due >= end) return;
        } else {
          due = now;
          if (due >= end) return;
        }
        parkUntil(due);
        BodySource source = warming ? warm : measured;
        PushBody body = source.poll(slot);
        boolean stalled = body == null;
        if (stalled) body = source.take(slot);
        long sent = System.nanoTime();
        int status = options.dryRun() ? 204 : post(http, body);
        long done = System.nanoTime();
        long micros = (done - (intervalNanos > 0 ? due : sent)) / 1000;
        boolean ok = status >= 200 && status < 300;
        synchronized (interval) {
          interval.record(micros);
        }
        if (ok) {
          secondLines.add(body.lines());
          secondBytes.add(body.lineBytes());
        }
        if (warming) continue;
        total.record(micros);
        pushes.increment();
        if (stalled) stalls.increment();
        wireBytes.add(body.body().length);
        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
        if (ok) {
          ackedLines.add(body.lines());
          ackedBytes.add(body.lineBytes());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      firstError.compareAndSet(null, "a sender stopped: " + e);
      statuses.computeIfAbsent(-1, k -> new LongAdder()).increment(); // the run fails, as for an I/O error
    } finally {
      connections.remove(http);
      try {
        http.close();
      } catch (IOException e) {
        firstError.compareAndSet(null, "I/O error closing a connection: " + e);
      }
    }
  }

  private static void parkUntil(long nanoTime) {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
  }

  private int post(PushConnection http, PushBody body) {
    try {
      PushConnection.Answer r = http.post(body.body());
      if (r.status() >= 300) firstError.compareAndSet(null, r.status() + " " + r.body().strip());
      return r.status();
    } catch (IOException e) {
      firstError.compareAndSet(null, "I/O error: " + e);
      return -1;
    }
  }
}
