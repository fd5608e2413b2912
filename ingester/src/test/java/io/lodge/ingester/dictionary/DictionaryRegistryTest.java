package io.lodge.ingester.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdDictTrainer;
import io.lodge.config.LineDictionaryConfig;
import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.ChunkFormatException;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.chunk.LineDictionaryObject;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.store.FsObjectStore;
import io.lodge.ingester.store.ObjectStore;
import io.lodge.ingester.testing.FaultyObjectStore;
import io.lodge.ingester.testing.LoghubData;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry over a real {@link FsObjectStore}: a group's blocks offered without a dictionary train one
 * (in the background), which is stored under {@code <tenant>/dicts/<id>} and then chosen for every stream
 * of that group of that tenant only; a restarted registry finds it again (by a scan, and by id on demand);
 * {@code max_dictionaries} and {@code enabled} are obeyed; corrupt stored objects are skipped by the scan
 * and refused by {@code find} with a {@link ChunkFormatException}.
 */
class DictionaryRegistryTest {
  private static final LineDictionaryConfig SMALL = new LineDictionaryConfig(true, "service_name", 16384, 65536, 4, true);
  private static final LabelSet SSH_A = LabelSet.of("service_name", "sshd", "host", "a");
  private static final LabelSet SSH_B = LabelSet.of("service_name", "sshd", "host", "b");
  private static final LabelSet HDFS = LabelSet.of("service_name", "hdfs", "host", "a");

  @TempDir Path dir;
  private final List<DictionaryRegistry> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(DictionaryRegistry::close);
  }

  private ObjectStore store() throws IOException {
    return new FsObjectStore(dir.resolve("store")); // a new instance per call: what a restart opens
  }

  private DictionaryRegistry registry(ObjectStore store, LineDictionaryConfig config, PrometheusRegistry metrics) {
    DictionaryRegistry r = new DictionaryRegistry(store, config, 3, metrics, System::currentTimeMillis);
    opened.add(r);
    return r;
  }

  private DictionaryRegistry registry(ObjectStore store, LineDictionaryConfig config) {
    return registry(store, config, new PrometheusRegistry());
  }

  private static void idle(DictionaryRegistry r) throws InterruptedException {
    r.awaitIdle(20, TimeUnit.SECONDS);
  }

  /** Lines {@code [from, from+n)} of a loghub file as the head's codec offers them: one array and the ends. */
  record Block(byte[] lines, int[] ends, int count) {
    static Block of(String file, int from, int n) {
      List<String> all = LoghubData.lines(file);
      StringBuilder sb = new StringBuilder();
      int[] ends = new int[n];
      int p = 0;
      for (int i = 0; i < n; i++) {
        byte[] l = all.get((from + i) % all.size()).getBytes(StandardCharsets.UTF_8);
        sb.append(new String(l, StandardCharsets.UTF_8));
        p += l.length;
        ends[i] = p;
      }
      return new Block(sb.toString().getBytes(StandardCharsets.UTF_8), ends, n);
    }
  }

  /** Offers {@code blocks} blocks of 100 lines of {@code file}, round the file. */
  private static void offer(DictionaryRegistry r, String tenant, LabelSet labels, String file, int blocks) {
    for (int b = 0; b < blocks; b++) {
      Block block = Block.of(file, b * 100, 100);
      r.offer(tenant, labels, block.lines(), block.ends(), block.count());
    }
  }

  /** Makes the registry know the tenant (its first call starts the scan), then offers enough to train. */
  private static LineDictionary train(DictionaryRegistry r, String tenant, LabelSet labels, String file)
      throws InterruptedException {
    r.choose(tenant, labels);
    idle(r);
    offer(r, tenant, labels, file, 20);
    idle(r);
    LineDictionary d = r.choose(tenant, labels);
    assertThat(d).as("a dictionary for %s of %s", labels, tenant).isNotNull();
    return d;
  }

  @Test
  void rawContentDictionariesAreSampledLinesSpreadOverBlocksAndSurviveARestart() throws Exception {
    LineDictionaryConfig raw = new LineDictionaryConfig(true, "service_name", 16384, 65536, 4, false);
    ObjectStore store = store();
    PrometheusRegistry metrics = new PrometheusRegistry();
    DictionaryRegistry r = registry(store, raw, metrics);
    r.choose("t1", HDFS);
    idle(r);
    offer(r, "t1", HDFS, "HDFS_2k.log", 2); // part of a sample: held until the group has enough
    double held = gauge(metrics, "lodge_ingester_line_dictionary_sample_bytes");
    assertThat(held).isBetween(1.0, 16384.0);
    LineDictionary d = train(r, "t1", SSH_A, "OpenSSH_2k.log");
    assertThat(gauge(metrics, "lodge_ingester_line_dictionary_sample_bytes")).as("the sshd sample is gone").isEqualTo(held);
    byte[] bytes = d.bytes();
    // at most size_bytes, made of whole offered lines joined by newlines (the first may be cut at the front)
    assertThat(bytes.length).isBetween(8192, 16384);
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
    java.util.Set<String> offered = new java.util.HashSet<>(LoghubData.lines("OpenSSH_2k.log"));
    for (int i = 1; i < lines.length; i++) assertThat(offered).as("dictionary line %d", i).contains(lines[i]);
    // spread: a block gives at most an eighth of the sample, so lines come from at least eight blocks
    java.util.List<String> file = LoghubData.lines("OpenSSH_2k.log");
    java.util.Set<Integer> blocks = new java.util.TreeSet<>();
    for (int i = 1; i < lines.length; i++) blocks.add(file.indexOf(lines[i]) / 100);
    assertThat(blocks.size()).isGreaterThanOrEqualTo(8);
    assertThat(store.exists(LineDictionaryObject.key("t1", d.id()))).isTrue();
    // it shrinks a later block of the service, as a block encoded with it shows
    Block later = Block.of("OpenSSH_2k.log", 1500, 100);
    long[] ts = new long[later.count()];
    for (int i = 0; i < ts.length; i++) ts[i] = i;
    int with = new io.lodge.ingester.chunk.BlockBuilder().encode(ts, later.ends(), later.lines(), null, later.count(), d)
        .header().lines().storedLength();
    int without = new io.lodge.ingester.chunk.BlockBuilder().encode(ts, later.ends(), later.lines(), null, later.count())
        .header().lines().storedLength();
    assertThat(with).isLessThan(without); // unseen lines of the same service: its templates are in the dictionary
    // a restarted registry chooses the same one after its scan, and finds it by id
    DictionaryRegistry again = registry(store(), raw);
    assertThat(again.find("t1", d.id()).bytes()).isEqualTo(bytes);
    again.choose("t1", SSH_B);
    idle(again);
    assertThat(again.choose("t1", SSH_B).id()).isEqualTo(d.id());
  }

  @Test
  void samplesThatStallGiveUpTheirSlotsAfterTenMinutes() throws Exception {
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
    LineDictionaryConfig raw = new LineDictionaryConfig(true, "service_name", 16384, 65536, 32, false);
    DictionaryRegistry r = new DictionaryRegistry(store(), raw, 3, new PrometheusRegistry(), clock::get);
    opened.add(r);
    r.choose("t", HDFS);
    idle(r);
    // eight quiet services take every sampling slot and stop writing: one with a few lines only, seven
    // with two blocks (about a quarter of a sample each)
    LabelSet[] quiet = new LabelSet[DictionaryRegistry.SAMPLING_GROUPS];
    for (int i = 0; i < quiet.length; i++) {
      quiet[i] = LabelSet.of("service_name", "quiet" + i);
      if (i == 0) {
        Block tiny = Block.of("OpenSSH_2k.log", 0, 3);
        r.offer("t", quiet[i], tiny.lines(), tiny.ends(), tiny.count());
      } else {
        offer(r, "t", quiet[i], "OpenSSH_2k.log", 2);
      }
    }
    offer(r, "t", HDFS, "HDFS_2k.log", 20); // a busy service finds no slot
    idle(r);
    assertThat(r.choose("t", HDFS)).isNull();
    clock.addAndGet(DictionaryRegistry.MAX_SAMPLE_MILLIS - 1000);
    offer(r, "t", HDFS, "HDFS_2k.log", 20); // not stale yet
    idle(r);
    assertThat(r.choose("t", HDFS)).isNull();

    clock.addAndGet(2000);
    offer(r, "t", HDFS, "HDFS_2k.log", 20);
    idle(r);
    // the stale samples with enough lines became (smaller) dictionaries; the tiny one was dropped
    for (int i = 1; i < quiet.length; i++) {
      LineDictionary d = r.choose("t", quiet[i]);
      assertThat(d).as("quiet%d", i).isNotNull();
      assertThat(d.size()).isLessThan(16384);
    }
    assertThat(r.choose("t", quiet[0])).isNull();
    // and the busy service got a slot and its dictionary
    assertThat(r.choose("t", HDFS)).isNotNull();
  }

  @Test
  void aGroupsBlocksTrainADictionaryStoredFirstAndChosenForThatGroupOnly() throws Exception {
    ObjectStore store = store();
    PrometheusRegistry metrics = new PrometheusRegistry();
    DictionaryRegistry r = registry(store, SMALL, metrics);
    assertThat(r.choose("t1", SSH_A)).as("nothing before the tenant's scan").isNull();
    idle(r);
    // two streams of the group feed one sample (a block gives at most an eighth of it)
    for (int b = 0; b < 16; b++) {
      Block block = Block.of("OpenSSH_2k.log", b * 100, 100);
      r.offer("t1", b % 2 == 0 ? SSH_A : SSH_B, block.lines(), block.ends(), block.count());
    }
    idle(r);
    LineDictionary d = r.current("t1", "sshd");
    assertThat(d).isNotNull();
    assertThat(d.size()).isLessThanOrEqualTo(SMALL.dictionaryBytes());
    assertThat(r.choose("t1", SSH_A)).isSameAs(d);
    assertThat(r.choose("t1", LabelSet.of("service_name", "sshd", "host", "c"))).as("any stream of the group").isSameAs(d);
    assertThat(r.choose("t1", HDFS)).as("another group").isNull();
    assertThat(r.choose("t1", LabelSet.of("host", "a"))).as("streams without the label").isNull();
    assertThat(r.choose("t2", SSH_A)).as("another tenant").isNull();
    idle(r);
    assertThat(r.choose("t2", SSH_A)).as("another tenant, after its scan").isNull();

    // stored under its key, with the group it was trained for
    String key = LineDictionaryObject.key("t1", d.id());
    assertThat(store.list("")).containsExactly(key);
    LineDictionaryObject o = LineDictionaryObject.decode(store.get(key), key);
    assertThat(o.tenant()).isEqualTo("t1");
    assertThat(o.groupLabel()).isEqualTo("service_name");
    assertThat(o.group()).isEqualTo("sshd");
    assertThat(o.dictionary().bytes()).isEqualTo(d.bytes());
    assertThat(o.createdMillis()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));

    // found by id; an unknown id is not an error
    assertThat(r.find("t1", d.id())).isSameAs(d);
    assertThat(r.find("t1", d.id() + 1)).isNull();
    assertThat(r.size()).isEqualTo(1);

    // it pays on a small block of later lines of the group, and reads back through the registry
    List<LogEntry> entries = new ArrayList<>();
    List<String> later = LoghubData.lines("OpenSSH_2k.log").subList(1900, 1960);
    for (int i = 0; i < later.size(); i++) entries.add(LogEntry.of(1_000L + i, later.get(i)));
    BlockBuilder b = new BlockBuilder();
    entries.forEach(b::append);
    EncodedBlock with = b.encode(d);
    EncodedBlock without = b.encode();
    assertThat(with.header().lines().storedLength()).isLessThan(without.header().lines().storedLength());
    DecodedBlock back = with.reader(r, "t1").readEntries(new DecodedBlock());
    for (int i = 0; i < entries.size(); i++) assertThat(back.entry(i)).isEqualTo(entries.get(i));

    // metrics
    assertThat(gauge(metrics, "lodge_ingester_line_dictionaries")).isEqualTo(1.0);
    assertThat(gauge(metrics, "lodge_ingester_line_dictionary_sample_bytes")).isZero();
    assertThat(counter(metrics, "lodge_ingester_line_dictionary_trainings", "trained")).isEqualTo(1.0);
    assertThat(counter(metrics, "lodge_ingester_line_dictionary_trainings", "failed")).isZero();

    // a group trains once: more blocks do not make another dictionary
    offer(r, "t1", SSH_A, "OpenSSH_2k.log", 20);
    idle(r);
    assertThat(r.choose("t1", SSH_A)).isSameAs(d);
    assertThat(store.list("")).containsExactly(key);
  }

  @Test
  void aRestartedRegistryFindsTheStoredDictionaryByScanAndById() throws Exception {
    DictionaryRegistry first = registry(store(), SMALL);
    LineDictionary trained = train(first, "t1", SSH_A, "OpenSSH_2k.log");
    long id = trained.id();
    byte[] bytes = trained.bytes();
    first.close();

    // by id, synchronously, before any scan
    DictionaryRegistry second = registry(store(), SMALL);
    LineDictionary found = second.find("t1", id);
    assertThat(found).isNotNull();
    assertThat(found.id()).isEqualTo(id);
    assertThat(found.bytes()).isEqualTo(bytes);
    assertThat(second.find("t1", id)).isSameAs(found);
    // chosen for new blocks once the tenant's scan ran
    assertThat(second.choose("t1", SSH_B)).isNull();
    idle(second);
    assertThat(second.choose("t1", SSH_B)).isSameAs(found);
    assertThat(second.choose("t1", HDFS)).isNull();
    // the group has its dictionary: offering more trains no other one
    offer(second, "t1", SSH_A, "OpenSSH_2k.log", 20);
    idle(second);
    assertThat(store().list("t1/dicts/")).containsExactly(LineDictionaryObject.key("t1", id));

    // by scan alone
    DictionaryRegistry third = registry(store(), SMALL);
    assertThat(third.choose("t1", SSH_A)).isNull();
    idle(third);
    assertThat(third.choose("t1", SSH_A)).isNotNull().extracting(LineDictionary::id).isEqualTo(id);
    assertThat(third.size()).isEqualTo(1);

    // grouped by another label: still found for reads, never chosen for the other label's groups
    DictionaryRegistry byApp = registry(store(), new LineDictionaryConfig(true, "app", 16384, 65536, 4, true));
    LabelSet app = LabelSet.of("app", "sshd", "service_name", "sshd");
    assertThat(byApp.choose("t1", app)).isNull();
    idle(byApp);
    assertThat(byApp.choose("t1", app)).isNull();
    assertThat(byApp.find("t1", id)).isNotNull();
  }

  @Test
  void theNewestStoredDictionaryOfAGroupServesNewBlocks() throws Exception {
    ObjectStore store = store();
    LineDictionary a = trainDirect("OpenSSH_2k.log", 0, 800);
    LineDictionary b = trainDirect("OpenSSH_2k.log", 800, 1600);
    assertThat(a.id()).isNotEqualTo(b.id());
    // t1: a is newer; t2: b is newer (whatever the order of their keys)
    put(store, new LineDictionaryObject("t1", "service_name", "sshd", 2_000, a));
    put(store, new LineDictionaryObject("t1", "service_name", "sshd", 1_000, b));
    put(store, new LineDictionaryObject("t2", "service_name", "sshd", 1_000, a));
    put(store, new LineDictionaryObject("t2", "service_name", "sshd", 2_000, b));
    DictionaryRegistry r = registry(store, SMALL);
    r.choose("t1", SSH_A);
    r.choose("t2", SSH_A);
    idle(r);
    assertThat(r.choose("t1", SSH_A).id()).isEqualTo(a.id());
    assertThat(r.choose("t2", SSH_A).id()).isEqualTo(b.id());
    // both serve reads, in either tenant
    assertThat(r.find("t1", b.id()).bytes()).isEqualTo(b.bytes());
    assertThat(r.find("t2", a.id()).bytes()).isEqualTo(a.bytes());
  }

  @Test
  void maxDictionariesBoundsHowManyGroupsGetOne() throws Exception {
    ObjectStore store = store();
    LineDictionaryConfig two = new LineDictionaryConfig(true, "service_name", 16384, 65536, 2, true);
    DictionaryRegistry r = registry(store, two);
    String[] files = {"OpenSSH_2k.log", "HDFS_2k.log", "Hadoop_2k.log", "Linux_2k.log"};
    r.choose("t1", SSH_A);
    idle(r);
    // round robin: every group asks on every round; the first two admitted are the ones that train
    for (int b = 0; b < 20; b++) {
      for (String f : files) {
        Block block = Block.of(f, b * 100, 100);
        r.offer("t1", LabelSet.of("service_name", f), block.lines(), block.ends(), block.count());
      }
    }
    idle(r);
    List<String> with = new ArrayList<>();
    for (String f : files) if (r.choose("t1", LabelSet.of("service_name", f)) != null) with.add(f);
    assertThat(with).containsExactly(files[0], files[1]);
    assertThat(store.list("t1/dicts/")).hasSize(2);
    assertThat(r.size()).isEqualTo(2);

    // a restart keeps the bound: the two stored count, the others still get none
    r.close();
    DictionaryRegistry again = registry(store(), two);
    again.choose("t1", SSH_A);
    idle(again);
    for (int b = 0; b < 20; b++) {
      for (String f : files) {
        Block block = Block.of(f, b * 100, 100);
        again.offer("t1", LabelSet.of("service_name", f), block.lines(), block.ends(), block.count());
      }
    }
    idle(again);
    assertThat(store.list("t1/dicts/")).hasSize(2);

    // zero: none at all
    DictionaryRegistry none = registry(store(), new LineDictionaryConfig(true, "service_name", 16384, 65536, 0, true));
    none.choose("t9", SSH_A);
    idle(none);
    offer(none, "t9", SSH_A, "OpenSSH_2k.log", 20);
    idle(none);
    assertThat(none.choose("t9", SSH_A)).isNull();
    assertThat(store.list("t9/")).isEmpty();
  }

  @Test
  void disabledNeverTrainsNorChooses() throws Exception {
    ObjectStore store = store();
    // a stored dictionary exists, but a disabled registry neither chooses it nor trains
    DictionaryRegistry on = registry(store, SMALL);
    LineDictionary d = train(on, "t1", SSH_A, "OpenSSH_2k.log");
    on.close();
    PrometheusRegistry metrics = new PrometheusRegistry();
    DictionaryRegistry off = registry(store(), new LineDictionaryConfig(false, "service_name", 16384, 65536, 4, true), metrics);
    for (int i = 0; i < 3; i++) {
      assertThat(off.choose("t1", SSH_A)).isNull();
      offer(off, "t1", HDFS, "HDFS_2k.log", 20);
      offer(off, "t2", HDFS, "HDFS_2k.log", 20);
      idle(off);
    }
    assertThat(off.current("t1", "hdfs")).isNull();
    assertThat(store.list("")).containsExactly(LineDictionaryObject.key("t1", d.id()));
    assertThat(counter(metrics, "lodge_ingester_line_dictionary_trainings", "trained")).isZero();
    // blocks written while it was on still read
    assertThat(off.find("t1", d.id())).isNotNull().extracting(LineDictionary::id).isEqualTo(d.id());
  }

  @Test
  void corruptStoredDictionariesAreSkippedByTheScanAndRefusedByFind() throws Exception {
    ObjectStore store = store();
    DictionaryRegistry first = registry(store, SMALL);
    LineDictionary good = train(first, "t1", SSH_A, "OpenSSH_2k.log");
    first.close();
    byte[] goodBytes = store.get(LineDictionaryObject.key("t1", good.id()));
    // sorting before the good one: a flipped byte, and a sound object under another id's key
    byte[] flipped = goodBytes.clone();
    flipped[flipped.length / 2] ^= 0x40;
    String flippedKey = LineDictionaryObject.key("t1", 0L);
    String misplacedKey = LineDictionaryObject.key("t1", 1L);
    store.put(flippedKey, flipped);
    store.put(misplacedKey, goodBytes);
    // a tenant whose only dictionary is corrupt
    store.put(LineDictionaryObject.key("t3", good.id()), flipped);

    DictionaryRegistry r = registry(store(), SMALL);
    assertThat(r.choose("t1", SSH_A)).isNull();
    idle(r);
    assertThat(r.choose("t1", SSH_A)).as("the scan went on past the corrupt objects").isNotNull()
        .extracting(LineDictionary::id).isEqualTo(good.id());
    assertThat(r.size()).isEqualTo(1);
    assertThatThrownBy(() -> r.find("t1", 0L)).isInstanceOf(ChunkFormatException.class).hasMessageContaining(flippedKey);
    assertThatThrownBy(() -> r.find("t1", 1L)).isInstanceOf(ChunkFormatException.class)
        .hasMessageContaining(misplacedKey).hasMessageContaining(good.hexId());

    // the corrupt tenant's group has no dictionary after its scan, so it trains a new one
    DictionaryRegistry fresh = registry(store(), SMALL);
    assertThat(fresh.choose("t3", SSH_A)).isNull();
    idle(fresh);
    assertThat(fresh.choose("t3", SSH_A)).isNull();
    assertThatThrownBy(() -> fresh.find("t3", good.id())).isInstanceOf(ChunkFormatException.class);
    offer(fresh, "t3", SSH_A, "OpenSSH_2k.log", 20);
    idle(fresh);
    LineDictionary retrained = fresh.choose("t3", SSH_A);
    assertThat(retrained).isNotNull();
    // the same sample trains the same bytes, so the same key: the corrupt object is replaced by a sound one
    String k = LineDictionaryObject.key("t3", retrained.id());
    assertThat(LineDictionaryObject.decode(store.get(k), k).dictionary().id()).isEqualTo(retrained.id());
  }

  @Test
  void aDictionaryTheStoreRefusedIsNeverChosenAndItsSlotIsFreed() throws Exception {
    FsObjectStore real = new FsObjectStore(dir.resolve("store"));
    java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean(true);
    // the real store, with a disk that is full for a while
    ObjectStore store = new FaultyObjectStore(real).failPuts(FaultyObjectStore.When.BEFORE, key -> full.get());
    PrometheusRegistry metrics = new PrometheusRegistry();
    DictionaryRegistry r = registry(store, new LineDictionaryConfig(true, "service_name", 16384, 65536, 1, true), metrics);
    r.choose("t1", SSH_A);
    idle(r);
    for (int round = 1; round <= 5; round++) {
      offer(r, "t1", SSH_A, "OpenSSH_2k.log", 20);
      idle(r);
      assertThat(r.choose("t1", SSH_A)).as("round %d", round).isNull();
      assertThat(counter(metrics, "lodge_ingester_line_dictionary_trainings", "failed")).isBetween(1.0, 3.0);
    }
    // three attempts, each from a new sample (a round fills at least one), then the group gave up
    assertThat(counter(metrics, "lodge_ingester_line_dictionary_trainings", "failed")).isEqualTo(3.0);
    assertThat(r.size()).as("nothing the store does not hold is kept").isZero();
    assertThat(real.list("")).isEmpty();
    assertThat(gauge(metrics, "lodge_ingester_line_dictionary_sample_bytes")).isZero();

    // the disk has room again: the failed group stays without, but its slot (max 1) went to another group
    full.set(false);
    offer(r, "t1", SSH_A, "OpenSSH_2k.log", 20);
    offer(r, "t1", HDFS, "HDFS_2k.log", 20);
    idle(r);
    assertThat(r.choose("t1", SSH_A)).isNull();
    LineDictionary hdfs = r.choose("t1", HDFS);
    assertThat(hdfs).isNotNull();
    assertThat(real.list("")).containsExactly(LineDictionaryObject.key("t1", hdfs.id()));
    assertThat(counter(metrics, "lodge_ingester_line_dictionary_trainings", "trained")).isEqualTo(1.0);
  }

  @Test
  void concurrentOffersAndChoicesTrainOneDictionaryPerGroup() throws Exception {
    ObjectStore store = store();
    DictionaryRegistry r = registry(store, SMALL);
    String[] files = {"OpenSSH_2k.log", "HDFS_2k.log", "Zookeeper_2k.log"};
    List<Block> blocks = new ArrayList<>();
    for (int b = 0; b < 20; b++) blocks.add(Block.of(files[b % 3], (b / 3) * 100, 100));
    // offers made while the tenant's scan runs are ignored: let it finish, or the threads may all be early
    r.choose("t1", SSH_A);
    idle(r);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 120; i++) {
            int k = (i * 7 + seed) % blocks.size();
            LabelSet labels = LabelSet.of("service_name", files[k % 3], "host", "h" + seed);
            Block b = blocks.get(k);
            if (r.choose("t1", labels) == null) r.offer("t1", labels, b.lines(), b.ends(), b.count());
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) f.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    idle(r);
    List<String> keys = store.list("t1/dicts/");
    assertThat(keys).hasSize(3);
    for (String f : files) {
      LineDictionary d = r.current("t1", f);
      assertThat(d).as(f).isNotNull();
      assertThat(keys).contains(LineDictionaryObject.key("t1", d.id()));
      assertThat(LineDictionaryObject.decode(store.get(LineDictionaryObject.key("t1", d.id())),
          LineDictionaryObject.key("t1", d.id())).group()).isEqualTo(f);
    }
    assertThat(r.size()).isEqualTo(3);
  }

  // ---- helpers ----

  private static LineDictionary trainDirect(String file, int from, int to) {
    List<String> lines = LoghubData.lines(file).subList(from, to);
    ZstdDictTrainer t = new ZstdDictTrainer(lines.stream().mapToInt(l -> l.length() + 1).sum(), 8192);
    for (String l : lines) t.addSample(l.getBytes(StandardCharsets.UTF_8));
    return new LineDictionary(t.trainSamples());
  }

  private static void put(ObjectStore store, LineDictionaryObject o) throws IOException {
    store.put(LineDictionaryObject.key(o.tenant(), o.dictionary().id()), o.encode());
  }

  private static MetricSnapshot metric(PrometheusRegistry registry, String name) {
    for (MetricSnapshot s : registry.scrape()) if (s.getMetadata().getPrometheusName().equals(name)) return s;
    throw new AssertionError("no metric " + name);
  }

  private static double gauge(PrometheusRegistry registry, String name) {
    return ((GaugeSnapshot) metric(registry, name)).getDataPoints().get(0).getValue();
  }

  private static double counter(PrometheusRegistry registry, String name, String outcome) {
    for (CounterSnapshot.CounterDataPointSnapshot p : ((CounterSnapshot) metric(registry, name)).getDataPoints()) {
      if (outcome.equals(p.getLabels().get("outcome"))) return p.getValue();
    }
    return 0;
  }
}
