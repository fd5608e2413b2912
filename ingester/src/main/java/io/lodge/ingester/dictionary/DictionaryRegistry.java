package io.lodge.ingester.dictionary;

import com.github.luben.zstd.ZstdDictTrainer;
import io.lodge.config.LineDictionaryConfig;
import io.lodge.ingester.chunk.ChunkFormatException;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.chunk.LineDictionaryObject;
import io.lodge.ingester.chunk.LineDictionaryPolicy;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.store.NoSuchObjectException;
import io.lodge.ingester.store.ObjectStore;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zstd dictionaries blocks compress their lines with: one per group of streams (a tenant's streams
 * sharing the value of one label, {@code service_name} by default), trained from the first lines the
 * group's blocks showed, stored in the object store before any block uses it, and found again by id
 * when a block is read (loaded from the store on first use after a restart).
 *
 * <p>Why per group: a block holds a few thousand lines of one stream, so most of its lines are the first
 * of their kind in that block and zstd has nothing to match them against; the streams of one service
 * repeat the same templates, which a dictionary trained on their lines holds.
 *
 * <p>A dictionary is, by default, the group's sample itself used as raw content ({@code size_bytes} of
 * lines spread over at least eight blocks): nothing to compute, so a service's first minutes do not
 * compete with ingest for CPU. With {@code trained: true}, zstd's trainer distils {@code sample_bytes}
 * of lines into at most {@code size_bytes} (~0.3 s of CPU per MiB of sample).
 *
 * <p>Bounded: at most {@code max_dictionaries} groups get one (others compress without), at most
 * {@link #SAMPLING_GROUPS} groups hold a sample at once, and making and storing a dictionary runs on one
 * background thread, never on the sealing path. A group's dictionary is made once; a failure is retried
 * from a new sample, at most {@link #MAX_ATTEMPTS} times.
 */
public final class DictionaryRegistry implements LineDictionaryPolicy, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DictionaryRegistry.class);

  /** Groups that may sample at once; each holds up to {@code sample_size} bytes of lines. */
  static final int SAMPLING_GROUPS = 8;
  static final int MAX_ATTEMPTS = 3;
  /**
   * A sample older than this gives up its slot, so that services writing too little to fill one do not
   * keep every other service from a dictionary: with at least an eighth of its target it becomes a
   * (smaller) dictionary at once, else it is dropped and the service waits for a slot again.
   */
  static final long MAX_SAMPLE_MILLIS = 10 * 60_000L;
  /** Longer lines are cut to this for the sample: templates sit at the start of a line. */
  static final int MAX_SAMPLE_LINE = 4096;

  private final ObjectStore store;
  private final LineDictionaryConfig config;
  private final int level;
  private final LongSupplier clockMillis;
  private final ConcurrentHashMap<Long, LineDictionary> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<GroupKey, Group> groups = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Boolean> tenantsScanned = new ConcurrentHashMap<>(); // false while scanning
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger samplingGroups = new AtomicInteger();
  private final AtomicLong sampleBytes = new AtomicLong();
  private final java.util.Set<Group> samplers = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastStaleCheck = new AtomicLong();
  private final ExecutorService worker;
  private final Counter trainings;
  private final Object loadLock = new Object();

  /**
   * @param level the zstd level blocks are compressed at (a dictionary is prepared for one level)
   */
  public DictionaryRegistry(ObjectStore store, LineDictionaryConfig config, int level, PrometheusRegistry registry,
      LongSupplier clockMillis) {
    this.store = store;
    this.config = config;
    this.level = level;
    this.clockMillis = clockMillis;
    this.worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("lodge-dictionary-trainer").daemon().factory());
    this.trainings = Counter.builder().name("lodge_ingester_line_dictionary_trainings")
        .help("Line dictionaries trained, by outcome (trained: stored and in use; failed: zstd or the store refused).")
        .labelNames("outcome").register(registry);
    GaugeWithCallback.builder().name("lodge_ingester_line_dictionaries")
        .help("Line dictionaries in memory (trained here or loaded from the store).")
        .callback(cb -> cb.call(byId.size())).register(registry);
    GaugeWithCallback.builder().name("lodge_ingester_line_dictionary_sample_bytes")
        .help("Line bytes held in samples waiting to train a dictionary.")
        .callback(cb -> cb.call(sampleBytes.get())).register(registry);
  }

  @Override
  public LineDictionary find(String tenant, long id) {
    LineDictionary d = byId.get(id);
    if (d != null || tenant == null) return d; // ids name contents: the same id is the same dictionary
    synchronized (loadLock) {
      d = byId.get(id);
      if (d != null) return d;
      String key = LineDictionaryObject.key(tenant, id);
      byte[] bytes;
      try {
        bytes = store.get(key);
      } catch (NoSuchObjectException e) {
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read line dictionary " + key + ": " + e.getMessage(), e);
      }
      return register(LineDictionaryObject.decode(bytes, key).dictionary());
    }
  }

  @Override
  public LineDictionary choose(String tenant, LabelSet labels) {
    if (!config.enabled() || !scanned(tenant)) return null;
    Group g = groups.get(new GroupKey(tenant, groupOf(labels)));
    return g == null ? null : g.dictionary;
  }

  @Override
  public void offer(String tenant, LabelSet labels, byte[] lines, int[] ends, int count) {
    if (!config.enabled() || count == 0 || !scanned(tenant)) return;
    GroupKey key = new GroupKey(tenant, groupOf(labels));
    Group g = groups.get(key);
    if (g == null) {
      if (groups.size() >= 4 * config.maxDictionaries()) return; // keeps the map of waiting groups bounded
      g = groups.computeIfAbsent(key, Group::new);
    }
    if (samplingGroups.get() >= SAMPLING_GROUPS) releaseStaleSamples();
    Group group = g;
    Sample full = group.offer(lines, ends, count);
    if (full != null) submit(() -> train(group, full));
  }

  /**
   * Every sampling slot is taken: frees those whose sample is older than {@link #MAX_SAMPLE_MILLIS} (at
   * most once a second; holds no group's lock while it takes another's).
   */
  private void releaseStaleSamples() {
    long now = clockMillis.getAsLong();
    long last = lastStaleCheck.get();
    if (now - last < 1000 || !lastStaleCheck.compareAndSet(last, now)) return;
    for (Group g : samplers) {
      Sample early = g.releaseIfStale(now);
      if (early != null) submit(() -> train(g, early));
    }
  }

  private String groupOf(LabelSet labels) {
    String v = labels.get(config.groupLabel());
    return v == null ? "" : v;
  }

  /** Whether the tenant's stored dictionaries are known; the first call starts reading them. */
  private boolean scanned(String tenant) {
    Boolean done = tenantsScanned.get(tenant);
    if (done != null) return done;
    if (tenantsScanned.putIfAbsent(tenant, Boolean.FALSE) == null) submit(() -> scan(tenant));
    return false;
  }

  /** Queues background work; false when the registry is closed (the task is dropped). */
  private boolean submit(Runnable task) {
    try {
      worker.execute(task);
      return true;
    } catch (RejectedExecutionException closing) {
      log.atDebug().log("dictionary worker stopped; task dropped");
      return false;
    }
  }

  /** Reads every stored dictionary of the tenant: they serve reads, and the newest of a group serves writes. */
  private void scan(String tenant) {
    try {
      List<String> keys = store.list(LineDictionaryObject.prefix(tenant));
      for (String key : keys) {
        LineDictionaryObject o;
        try {
          o = LineDictionaryObject.decode(store.get(key), key);
        } catch (ChunkFormatException | IOException e) {
          log.atError().addKeyValue("key", key).addKeyValue("err", e.getMessage())
              .log("cannot load a line dictionary; blocks that use it will fail to read their lines");
          continue;
        }
        LineDictionary d = register(o.dictionary());
        if (!o.groupLabel().equals(config.groupLabel())) continue;
        Group g = groups.computeIfAbsent(new GroupKey(tenant, o.group()), Group::new);
        g.adopt(d, o.createdMillis());
      }
      log.atInfo().addKeyValue("tenant", tenant).addKeyValue("dictionaries", keys.size()).log("line dictionaries loaded");
    } catch (IOException e) {
      log.atError().addKeyValue("tenant", tenant).addKeyValue("err", e.getMessage())
          .log("cannot list line dictionaries; new ones will be trained");
    } finally {
      tenantsScanned.put(tenant, Boolean.TRUE);
    }
  }

  private void train(Group g, Sample sample) {
    long start = System.nanoTime();
    try {
      LineDictionary d = new LineDictionary(config.trained() ? trained(sample) : rawContent(sample));
      LineDictionaryObject o = new LineDictionaryObject(g.key.tenant(), config.groupLabel(), g.key.group(),
          clockMillis.getAsLong(), d);
      String key = LineDictionaryObject.key(g.key.tenant(), d.id());
      store.put(key, o.encode()); // durable before any block can name it
      LineDictionary kept = register(d);
      g.trained(kept);
      trainings.labelValues("trained").inc();
      log.atInfo().addKeyValue("tenant", g.key.tenant()).addKeyValue(config.groupLabel(), g.key.group())
          .addKeyValue("bytes", d.size()).addKeyValue("kind", config.trained() ? "trained" : "raw")
          .addKeyValue("sample_lines", sample.count).addKeyValue("sample_bytes", sample.bytes)
          .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000).log("line dictionary made");
    } catch (IOException | RuntimeException e) { // ZstdException (too few or too alike samples) among them
      trainings.labelValues("failed").inc();
      admitted.decrementAndGet(); // a retry is admitted again with its new sample
      boolean again = g.failed();
      log.atWarn().addKeyValue("tenant", g.key.tenant()).addKeyValue(config.groupLabel(), g.key.group())
          .addKeyValue("sample_lines", sample.count).addKeyValue("err", e.toString())
          .addKeyValue("retry", again).log("making a line dictionary failed; the group compresses without one");
    } finally {
      sampleBytes.addAndGet(-sample.bytes);
    }
  }

  /** zstd's trainer over the sampled lines (one sample per line): ~0.3 s of CPU per MiB of sample. */
  private byte[] trained(Sample sample) {
    ZstdDictTrainer trainer = new ZstdDictTrainer(Math.max(1, sample.bytes), config.dictionaryBytes());
    for (int i = 0, p = 0; i < sample.count; i++) {
      trainer.addSample(Arrays.copyOfRange(sample.buf, p, p + sample.lengths[i]));
      p += sample.lengths[i];
    }
    return trainer.trainSamples();
  }

  /**
   * The sampled lines themselves, newline-separated, as a raw-content dictionary: nothing to compute, and
   * on service logs about as good as a trained one of twice the size. Never starts with zstd's dictionary
   * magic, so readers cannot take it for a trained dictionary.
   */
  private byte[] rawContent(Sample sample) {
    int from = Math.max(0, sample.bytes - config.dictionaryBytes());
    while (from < sample.bytes - 4 && startsWithDictionaryMagic(sample.buf, from)) from++;
    return Arrays.copyOfRange(sample.buf, from, sample.bytes);
  }

  private static boolean startsWithDictionaryMagic(byte[] b, int at) {
    return (b[at] & 0xFF) == 0x37 && (b[at + 1] & 0xFF) == 0xA4 && (b[at + 2] & 0xFF) == 0x30 && (b[at + 3] & 0xFF) == 0xEC;
  }

  private LineDictionary register(LineDictionary d) {
    LineDictionary won = byId.putIfAbsent(d.id(), d);
    if (won != null && won != d) {
      d.close();
      return won;
    }
    return d;
  }

  /** Dictionaries in memory now (for tests and metrics). */
  public int size() {
    return byId.size();
  }

  /** The dictionary a group's new blocks use now, or null. */
  public LineDictionary current(String tenant, String group) {
    Group g = groups.get(new GroupKey(tenant, group));
    return g == null ? null : g.dictionary;
  }

  /** Waits until the background work queued so far (scans, trainings) is done; for tests and shutdown. */
  public void awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    if (submit(done::countDown)) done.await(timeout, unit);
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) log.atWarn().log("dictionary trainer did not stop in 10 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // readers are gone when the ingester closes this: freeing native memory now is safe
    for (LineDictionary d : byId.values()) d.close();
    byId.clear();
  }

  private record GroupKey(String tenant, String group) {}

  /** Lines kept to train one group's dictionary: concatenated, with each line's length. */
  private static final class Sample {
    byte[] buf = new byte[1 << 16];
    int[] lengths = new int[1024];
    int count;
    int bytes;

    /** Appends a line (and a newline after it when asked: lines of a raw dictionary are joined by one); returns the bytes added. */
    int add(byte[] src, int off, int len, boolean newline) {
      int n = newline ? len + 1 : len;
      if (bytes + n > buf.length) buf = Arrays.copyOf(buf, Math.max(bytes + n, buf.length * 2));
      if (count == lengths.length) lengths = Arrays.copyOf(lengths, count * 2);
      System.arraycopy(src, off, buf, bytes, len);
      if (newline) buf[bytes + len] = '\n';
      bytes += n;
      lengths[count++] = n;
      return n;
    }
  }

  private enum State { WAITING, SAMPLING, TRAINING, READY, GAVE_UP }

  /** One group's dictionary and how far it is; mutable state guarded by the group. */
  private final class Group {
    final GroupKey key;
    volatile LineDictionary dictionary;
    private long createdMillis = Long.MIN_VALUE;
    private State state = State.WAITING;
    private Sample sample;
    private long sampleStartMillis;
    private int attempts;

    Group(GroupKey key) {
      this.key = key;
    }

    /** Adds some of the block's lines to the sample; returns the sample when it is full (then training). */
    synchronized Sample offer(byte[] lines, int[] ends, int count) {
      if (state == State.WAITING) {
        if (!admit()) return null;
        state = State.SAMPLING;
        sample = new Sample();
        sampleStartMillis = clockMillis.getAsLong();
        samplers.add(this);
      }
      if (state != State.SAMPLING) return null;
      // a raw-content dictionary is its sample; a trained one is distilled from a larger one
      int target = config.trained() ? config.sampleSize() : config.dictionaryBytes();
      // a block gives at most an eighth of the sample, spread over it: the sample then spans several blocks
      int perBlock = Math.max(1, target / 8);
      int total = ends[count - 1];
      int stride = Math.max(1, (int) Math.min(count, (long) Math.ceil((double) total / perBlock)));
      int taken = 0;
      for (int i = 0; i < count && taken < perBlock && sample.bytes < target; i += stride) {
        int start = i == 0 ? 0 : ends[i - 1];
        int len = Math.min(ends[i] - start, MAX_SAMPLE_LINE);
        if (len == 0) continue;
        taken += sample.add(lines, start, len, !config.trained());
      }
      sampleBytes.addAndGet(taken);
      if (sample.bytes < target) return null;
      return endSampling();
    }

    /** SAMPLING → TRAINING: hands the sample over and frees the sampling slot. */
    private Sample endSampling() {
      Sample full = sample;
      sample = null;
      state = State.TRAINING;
      samplingGroups.decrementAndGet();
      samplers.remove(this);
      return full;
    }

    /**
     * A sample older than {@link #MAX_SAMPLE_MILLIS}: returned for training when it holds at least an
     * eighth of its target, else dropped (the group waits for a slot again). Null when nothing is handed over.
     */
    synchronized Sample releaseIfStale(long nowMillis) {
      if (state != State.SAMPLING || nowMillis - sampleStartMillis < MAX_SAMPLE_MILLIS) return null;
      int target = config.trained() ? config.sampleSize() : config.dictionaryBytes();
      if (sample.bytes >= target / 8) return endSampling();
      sampleBytes.addAndGet(-sample.bytes);
      sample = null;
      state = State.WAITING;
      samplingGroups.decrementAndGet();
      admitted.decrementAndGet();
      samplers.remove(this);
      return null;
    }

    /** Takes a sampling slot and a dictionary slot, or neither. */
    private boolean admit() {
      if (samplingGroups.incrementAndGet() > SAMPLING_GROUPS) {
        samplingGroups.decrementAndGet();
        return false;
      }
      if (admitted.incrementAndGet() > config.maxDictionaries()) {
        admitted.decrementAndGet();
        samplingGroups.decrementAndGet();
        return false;
      }
      return true;
    }

    synchronized void trained(LineDictionary d) {
      dictionary = d;
      createdMillis = clockMillis.getAsLong();
      state = State.READY;
    }

    /** A training failed: back to waiting for a new sample, or gives up. Returns whether it will retry. */
    synchronized boolean failed() {
      attempts++;
      state = attempts < MAX_ATTEMPTS ? State.WAITING : State.GAVE_UP;
      return state == State.WAITING;
    }

    /** A stored dictionary of this group: the newest one serves new blocks. */
    synchronized void adopt(LineDictionary d, long created) {
      if (created < createdMillis) return;
      if (state == State.WAITING) admitted.incrementAndGet();
      if (state == State.SAMPLING) { // cannot happen before the scan ends; kept exact anyway
        sampleBytes.addAndGet(-sample.bytes);
        sample = null;
        samplers.remove(this);
        samplingGroups.decrementAndGet();
      }
      dictionary = d;
      createdMillis = created;
      state = State.READY;
    }
  }
}
