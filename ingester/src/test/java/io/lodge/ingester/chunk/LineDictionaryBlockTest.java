package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdDictTrainer;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.testing.LoghubData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Blocks whose lines column is compressed with a {@link LineDictionary} (codec 2): trained with zstd's own
 * trainer on real loghub lines, they decode back to exactly their entries through {@link BlockReader} and
 * through a chunk, are smaller than without the dictionary, and fail with a {@link ChunkFormatException}
 * naming the dictionary when the reader cannot find it (or is handed the wrong one), while the columns
 * that never use a dictionary stay readable.
 */
class LineDictionaryBlockTest {
  static final String TENANT = "tenant-1";
  private static final long T0 = 1_700_000_000_000_000_000L;

  /** Dictionaries are trained once per JVM: training takes a good fraction of a second. */
  private static volatile LineDictionary ssh;
  private static volatile LineDictionary hdfs;
  private static volatile List<byte[]> loghubLines;

  /** A dictionary trained by zstd from {@code lines[from, to)} of a loghub file, at most {@code size} bytes. */
  static LineDictionary train(String file, int from, int to, int size) {
    List<String> lines = LoghubData.lines(file).subList(from, to);
    int total = lines.stream().mapToInt(l -> l.length() + 1).sum();
    ZstdDictTrainer trainer = new ZstdDictTrainer(total, size);
    for (String l : lines) trainer.addSample(l.getBytes(StandardCharsets.UTF_8));
    return new LineDictionary(trainer.trainSamples());
  }

  /** Trained on the first 1000 OpenSSH lines; the blocks below use later lines of the same file. */
  static synchronized LineDictionary sshDictionary() {
    if (ssh == null) ssh = train("OpenSSH_2k.log", 0, 1000, 16 << 10);
    return ssh;
  }

  static synchronized LineDictionary hdfsDictionary() {
    if (hdfs == null) hdfs = train("HDFS_2k.log", 0, 1000, 16 << 10);
    return hdfs;
  }

  /** Every line of every loghub file. */
  static synchronized List<byte[]> loghubLines() {
    if (loghubLines == null) {
      List<byte[]> all = new ArrayList<>();
      for (String f : List.of("Android_2k.log", "Apache_2k.log", "BGL_2k.log", "HDFS_2k.log", "HPC_2k.log",
          "Hadoop_2k.log", "HealthApp_2k.log", "Linux_2k.log", "Mac_2k.log", "OpenSSH_2k.log", "OpenStack_2k.log",
          "Proxifier_2k.log", "Spark_2k.log", "Thunderbird_2k.log", "Windows_2k.log", "Zookeeper_2k.log")) {
        for (String l : LoghubData.lines(f)) all.add(l.getBytes(StandardCharsets.UTF_8));
      }
      loghubLines = List.copyOf(all);
    }
    return loghubLines;
  }

  /** A lookup that knows exactly {@code known}, and records which tenant asked. */
  static final class Known implements LineDictionaries {
    final Map<Long, LineDictionary> byId = new ConcurrentHashMap<>();
    final List<String> askedTenants = new CopyOnWriteArrayList<>();

    Known(LineDictionary... known) {
      for (LineDictionary d : known) byId.put(d.id(), d);
    }

    @Override
    public LineDictionary find(String tenant, long id) {
      askedTenants.add(String.valueOf(tenant));
      return byId.get(id);
    }
  }

  /** OpenSSH lines {@code [from, from+n)} one ms apart, every fifth with a trace id. */
  static List<LogEntry> sshEntries(int from, int n) {
    List<String> lines = LoghubData.lines("OpenSSH_2k.log");
    List<LogEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<Label> md = i % 5 == 0 ? List.of(new Label("trace_id", "t" + i), new Label("pod", "p" + (i % 3))) : List.of();
      out.add(new LogEntry(T0 + i * 1_000_000L + (i % 7), lines.get(from + i).getBytes(StandardCharsets.UTF_8), md));
    }
    return out;
  }

  static EncodedBlock encode(List<LogEntry> entries, LineDictionary dict) {
    BlockBuilder b = new BlockBuilder();
    entries.forEach(b::append);
    return b.encode(dict);
  }

  /** The same entries through the array path the head's codec uses. */
  @SuppressWarnings("unchecked")
  static EncodedBlock encodeArrays(List<LogEntry> entries, LineDictionary dict) {
    int n = entries.size();
    long[] ts = new long[n];
    int[] ends = new int[n];
    List<Label>[] md = (List<Label>[]) new List<?>[n];
    int total = entries.stream().mapToInt(e -> e.line().length).sum();
    byte[] lines = new byte[total + 3]; // slack: the builder must use ends, not the array length
    int p = 0;
    for (int i = 0; i < n; i++) {
      LogEntry e = entries.get(i);
      ts[i] = e.timestampNanos();
      System.arraycopy(e.line(), 0, lines, p, e.line().length);
      p += e.line().length;
      ends[i] = p;
      md[i] = e.metadata();
    }
    return new BlockBuilder().encode(ts, ends, lines, md, n, dict);
  }

  static List<LogEntry> decoded(BlockReader r) {
    return BlockRoundTripTest.decoded(r.readEntries(new DecodedBlock()));
  }

  @Test
  void aBlockWithADictionaryDecodesToItsEntriesAndIsSmaller() {
    LineDictionary dict = sshDictionary();
    // ~10 KiB of lines: where a 16 KiB dictionary pays (measured: from ~30 KiB of OpenSSH lines up, zstd's
    // own window finds the same templates and the dictionary no longer helps, or costs a little)
    List<LogEntry> entries = sshEntries(1000, 100);
    EncodedBlock with = encode(entries, dict);
    EncodedBlock without = encode(entries, null);

    assertThat(with.header().lines().codec()).isEqualTo(ColumnCodec.ZSTD_DICT_ID);
    assertThat(with.header().lines().dictionary()).isEqualTo(dict.id());
    // only the lines column uses it
    for (BlockHeader.Column c : List.of(with.header().timestamps(), with.header().lengths(), with.header().metadata())) {
      assertThat(c.codec()).isNotEqualTo(ColumnCodec.ZSTD_DICT_ID);
      assertThat(c.dictionary()).isZero();
    }
    assertThat(without.header().lines().codec()).isEqualTo(ColumnCodec.ZSTD_ID);
    assertThat(without.header().lines().dictionary()).isZero();
    assertThat(encodeArrays(entries, dict).bytes()).as("both encode paths agree").isEqualTo(with.bytes());

    Known known = new Known(dict);
    BlockReader r = BlockReader.open(with.bytes(), 0, with.bytes().length, "k", known, TENANT);
    assertThat(r.header()).isEqualTo(with.header());
    assertThat(decoded(r)).isEqualTo(entries);
    assertThat(known.askedTenants).isNotEmpty().containsOnly(TENANT);
    assertThat(decoded(BlockReader.openTrusted(with.bytes(), 0, with.bytes().length, "k", known, TENANT)))
        .isEqualTo(entries);
    assertThat(decoded(with.reader(known, TENANT))).isEqualTo(entries);
    // the lines alone, then the rest added
    DecodedBlock d = r.readLines(new DecodedBlock());
    for (int i = 0; i < entries.size(); i++) assertThat(d.line(i)).isEqualTo(entries.get(i).line());
    r.addTimestamps(d, true);
    assertThat(BlockRoundTripTest.decoded(d)).isEqualTo(entries);

    System.out.printf("OpenSSH block of %d lines (%d line bytes): lines column %d bytes with a %d-byte dictionary,"
            + " %d without; block %d vs %d bytes%n", entries.size(), with.header().lines().rawLength(),
        with.header().lines().storedLength(), dict.size(), without.header().lines().storedLength(),
        with.bytes().length, without.bytes().length);
    assertThat(with.header().lines().storedLength()).isLessThan(without.header().lines().storedLength());
    assertThat(with.bytes().length).isLessThan(without.bytes().length);
  }

  @Test
  void aChunkOfBlocksWithAndWithoutADictionaryRoundTrips() {
    LineDictionary dict = sshDictionary();
    List<LogEntry> entries = sshEntries(1000, 400);
    List<EncodedBlock> blocks = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      List<LogEntry> part = entries.subList(b * 100, (b + 1) * 100);
      blocks.add(b % 2 == 0 ? encode(part, dict) : encodeArrays(part, null));
    }
    LabelSet labels = LabelSet.of("service_name", "sshd", "host", "LabSZ");
    byte[] chunk = ChunkWriter.write(TENANT, labels, blocks);
    Known known = new Known(dict);
    ChunkReader r = ChunkReader.open(chunk, "tenant-1/chunks/x", known);
    assertThat(r.header().tenant()).isEqualTo(TENANT);
    assertThat(r.blockCount()).isEqualTo(4);
    List<LogEntry> back = new ArrayList<>();
    DecodedBlock d = new DecodedBlock();
    for (int i = 0; i < r.blockCount(); i++) {
      BlockReader br = r.readBlock(i);
      assertThat(br.header().lines().codec()).isEqualTo(i % 2 == 0 ? ColumnCodec.ZSTD_DICT_ID : ColumnCodec.ZSTD_ID);
      back.addAll(BlockRoundTripTest.decoded(br.readEntries(d)));
    }
    assertThat(back).isEqualTo(entries);
    assertThat(known.askedTenants).as("the chunk's tenant is the one asked").isNotEmpty().containsOnly(TENANT);

    // the same chunk without the dictionary: the plain blocks read, the others fail naming it
    ChunkReader blind = ChunkReader.open(chunk, "tenant-1/chunks/x", LineDictionaries.NONE);
    assertThat(BlockRoundTripTest.decoded(blind.readBlock(1).readEntries(d))).isEqualTo(entries.subList(100, 200));
    assertThatThrownBy(() -> blind.readBlock(0).readEntries(new DecodedBlock()))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining(dict.hexId())
        .hasMessageContaining("tenant-1/chunks/x").hasMessageContaining("of tenant " + TENANT);
    // the one-argument open knows no dictionary either
    assertThatThrownBy(() -> ChunkReader.open(chunk, "k").readBlock(2).readEntries(new DecodedBlock()))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining(dict.hexId());
  }

  @Test
  void withoutItsDictionaryOnlyTheLinesFailAndAlwaysWithAChunkFormatException() {
    LineDictionary dict = sshDictionary();
    List<LogEntry> entries = sshEntries(1200, 200);
    EncodedBlock with = encode(entries, dict);
    byte[] bytes = with.bytes();
    for (LineDictionaries none : List.<LineDictionaries>of(LineDictionaries.NONE, new Known(hdfsDictionary()))) {
      BlockReader r = BlockReader.open(bytes, 0, bytes.length, "k", none, TENANT);
      assertThat(r.header().lines().dictionary()).isEqualTo(dict.id());
      assertThatThrownBy(() -> r.readEntries(new DecodedBlock())).isInstanceOf(ChunkFormatException.class)
          .hasMessageContaining(dict.hexId());
      assertThatThrownBy(() -> r.readLines(new DecodedBlock())).isInstanceOf(ChunkFormatException.class)
          .hasMessageContaining(dict.hexId());
      assertThatThrownBy(() -> r.readColumns(new DecodedBlock(), true, false)).isInstanceOf(ChunkFormatException.class)
          .hasMessageContaining(dict.hexId());
      assertThatThrownBy(() -> r.addLines(r.readColumns(new DecodedBlock(), false, true)))
          .isInstanceOf(ChunkFormatException.class).hasMessageContaining(dict.hexId());

      // what needs no lines still works: timestamps, lengths, metadata
      DecodedBlock d = r.readColumns(new DecodedBlock(), false, true);
      assertThat(d.size()).isEqualTo(entries.size());
      assertThat(d.hasLines()).isFalse();
      for (int i = 0; i < entries.size(); i++) {
        LogEntry e = entries.get(i);
        assertThat(d.timestamp(i)).isEqualTo(e.timestampNanos());
        assertThat(d.lineLength(i)).isEqualTo(e.line().length);
        assertThat(d.metadata(i)).isEqualTo(e.metadata());
      }
      DecodedBlock noMeta = r.readColumns(new DecodedBlock(), false, false);
      for (int i = 0; i < entries.size(); i++) assertThat(noMeta.lineLength(i)).isEqualTo(entries.get(i).line().length);
      DecodedBlock ts = r.readTimestamps(new DecodedBlock());
      for (int i = 0; i < entries.size(); i++) assertThat(ts.timestamp(i)).isEqualTo(entries.get(i).timestampNanos());
      assertThat(r.metadataDictionary(new DecodedBlock())).contains(new Label("trace_id", "t0"));
      // the token filter sits in the header: no dictionary needed to skip a block
      assertThat(r.mightContainToken("sshd".getBytes(StandardCharsets.UTF_8))).isTrue();
    }
    // the reader that finds it afterwards still decodes the same bytes
    assertThat(decoded(BlockReader.open(bytes, 0, bytes.length, "k", new Known(dict), TENANT))).isEqualTo(entries);
  }

  @Test
  void aLookupHandingOutAnotherDictionaryNeverYieldsWrongLines() {
    LineDictionary dict = sshDictionary();
    List<LogEntry> entries = sshEntries(1400, 150);
    byte[] bytes = encode(entries, dict).bytes();
    LineDictionary other = hdfsDictionary();
    // a broken lookup: whatever the id, the HDFS dictionary
    LineDictionaries wrong = (tenant, id) -> other;
    BlockReader r = BlockReader.open(bytes, 0, bytes.length, "k", wrong, TENANT);
    assertThatThrownBy(() -> r.readEntries(new DecodedBlock())).isInstanceOf(ChunkFormatException.class)
        .hasMessageContaining(dict.hexId()).hasMessageContaining(other.hexId());
  }

  @Test
  void rawContentDictionariesAreCheckedByIdToo() {
    // bytes that are not in zstd's dictionary format are raw content: their frames carry no dictionary id,
    // so only the reader's id check stands between the wrong dictionary and silently different lines
    LineDictionary a = new LineDictionary("GET /api/v1/push HTTP/1.1 200 took 12ms user=alice level=info\n"
        .repeat(20).getBytes(StandardCharsets.UTF_8));
    LineDictionary b = new LineDictionary("POST /loki/api/v1/query HTTP/1.1 500 took 99ms user=bob level=warn\n"
        .repeat(20).getBytes(StandardCharsets.UTF_8));
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 50; i++) entries.add(LogEntry.of(T0 + i, "GET /api/v1/push HTTP/1.1 200 took " + i + "ms user=alice level=info"));
    EncodedBlock enc = encode(entries, a);
    assertThat(enc.header().lines().codec()).isEqualTo(ColumnCodec.ZSTD_DICT_ID);
    assertThat(decoded(enc.reader(new Known(a), TENANT))).isEqualTo(entries);
    assertThatThrownBy(() -> enc.reader((tenant, id) -> b, TENANT).readEntries(new DecodedBlock()))
        .isInstanceOf(ChunkFormatException.class).hasMessageContaining(a.hexId()).hasMessageContaining(b.hexId());
  }

  @Test
  void aTamperedDictionaryIdFailsCleanly() {
    LineDictionary dict = sshDictionary();
    List<LogEntry> entries = sshEntries(1000, 50);
    byte[] bytes = encode(entries, dict).bytes().clone();
    // find the id in the header (u64 LE after the lines column's stored length) and change it
    int at = indexOf(bytes, longLE(dict.id()));
    assertThat(at).isPositive();
    bytes[at] ^= 1;
    fixBlockCrc(bytes);
    long changed = dict.id() ^ 1;
    BlockReader r = BlockReader.open(bytes, 0, bytes.length, "k", new Known(dict), TENANT);
    assertThat(r.header().lines().dictionary()).isEqualTo(changed);
    assertThatThrownBy(() -> r.readEntries(new DecodedBlock())).isInstanceOf(ChunkFormatException.class)
        .hasMessageContaining(LineDictionary.hex(changed));
  }

  @Test
  void everyByteChangeBehindAValidCrcFailsCleanlyOrDecodes() {
    LineDictionary dict = sshDictionary();
    List<LogEntry> entries = sshEntries(1500, 60);
    byte[] good = encode(entries, dict).bytes();
    Known known = new Known(dict, hdfsDictionary());
    int refused = 0;
    for (int i = 0; i < good.length - 4; i++) {
      for (int flip : new int[] {0x01, 0x02, 0x80, 0xFF}) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) flip;
        fixBlockCrc(bad);
        try {
          BlockReader r = BlockReader.open(bad, 0, bad.length, "k", known, TENANT);
          r.readColumns(new DecodedBlock(), false, true);
          r.metadataDictionary(new DecodedBlock());
          r.readEntries(new DecodedBlock());
        } catch (ChunkFormatException e) {
          refused++;
        } catch (RuntimeException e) {
          throw new AssertionError("byte " + i + " ^ " + flip + " escaped as " + e, e);
        }
      }
    }
    assertThat(refused).isPositive();
  }

  // ---- the property: random entries, with and without a dictionary, round trip to the input ----

  @Provide
  Arbitrary<List<LogEntry>> mixedEntries() {
    List<byte[]> lines = loghubLines();
    Arbitrary<byte[]> loghub = Arbitraries.integers().between(0, lines.size() - 1).map(lines::get);
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> text = EntryArbitraries.line().map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> line = Arbitraries.frequencyOf(Tuple.of(12, loghub), Tuple.of(3, noise), Tuple.of(2, text));
    Arbitrary<Long> delta = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(0L)), Tuple.of(6, Arbitraries.longs().between(1, 5_000_000)));
    Arbitrary<LogEntry> one = Combinators.combine(delta, line, EntryArbitraries.metadata())
        .as((dt, l, md) -> new LogEntry(dt, l, md)); // timestamp holds the delta until accumulated
    return Combinators.combine(Arbitraries.longs().between(-1L << 40, 1L << 62), one.list().ofMinSize(1).ofMaxSize(200))
        .as((start, items) -> {
          List<LogEntry> out = new ArrayList<>(items.size());
          long ts = start;
          for (LogEntry e : items) {
            ts += e.timestampNanos();
            out.add(new LogEntry(ts, e.line(), e.metadata()));
          }
          return out;
        });
  }

  @Property(tries = 120)
  void randomEntriesRoundTripWithAndWithoutADictionary(@ForAll("mixedEntries") List<LogEntry> entries,
      @ForAll boolean withDictionary, @ForAll boolean arrays) {
    LineDictionary dict = withDictionary ? sshDictionary() : null;
    EncodedBlock enc = arrays ? encodeArrays(entries, dict) : encode(entries, dict);
    int codec = enc.header().lines().codec();
    if (!withDictionary) {
      assertThat(codec).isNotEqualTo(ColumnCodec.ZSTD_DICT_ID);
    } else if (codec == ColumnCodec.ZSTD_DICT_ID) {
      assertThat(enc.header().lines().dictionary()).isEqualTo(dict.id());
    } else {
      // empty or incompressible lines are stored raw, and then need no dictionary
      assertThat(codec).isEqualTo(ColumnCodec.RAW_ID);
      assertThat(enc.header().lines().dictionary()).isZero();
    }
    Known known = withDictionary ? new Known(dict, hdfsDictionary()) : new Known();
    byte[] bytes = enc.bytes();
    assertThat(decoded(BlockReader.open(bytes, 0, bytes.length, "k", known, TENANT))).isEqualTo(entries);

    // the same block inside a chunk, read back with the same lookup
    byte[] chunk = ChunkWriter.write(TENANT, LabelSet.of("service_name", "mixed"), List.of(enc));
    ChunkReader cr = ChunkReader.open(chunk, "c", known);
    assertThat(BlockRoundTripTest.decoded(cr.readBlock(0).readEntries(new DecodedBlock()))).isEqualTo(entries);

    // without the dictionary: the lines fail exactly when the column needs it, with a ChunkFormatException
    BlockReader blind = BlockReader.open(bytes, 0, bytes.length, "k", LineDictionaries.NONE, TENANT);
    if (codec == ColumnCodec.ZSTD_DICT_ID) {
      assertThatThrownBy(() -> blind.readEntries(new DecodedBlock())).isInstanceOf(ChunkFormatException.class)
          .hasMessageContaining(dict.hexId());
    } else {
      assertThat(decoded(blind)).isEqualTo(entries);
    }
    DecodedBlock d = blind.readColumns(new DecodedBlock(), false, true);
    for (int i = 0; i < entries.size(); i++) {
      assertThat(d.timestamp(i)).isEqualTo(entries.get(i).timestampNanos());
      assertThat(d.lineLength(i)).isEqualTo(entries.get(i).line().length);
      assertThat(d.metadata(i)).isEqualTo(entries.get(i).metadata());
    }
  }

  // ---- helpers ----

  static byte[] longLE(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (8 * i));
    return b;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** Rewrites a block's trailing CRC32C so a test reaches the checks behind it. */
  static void fixBlockCrc(byte[] block) {
    int crc = ChunkFormat.crc32c(block, 0, block.length - 4);
    for (int i = 0; i < 4; i++) block[block.length - 4 + i] = (byte) (crc >>> (8 * i));
  }
}
