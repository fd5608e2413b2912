package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdDictTrainer;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.testing.LoghubData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * {@link LineRecompressor}: the oracle is the block it was given. A recompressed block decodes to the same
 * entries, keeps every header field, the token filter and the other columns byte for byte, and only its
 * lines column changes codec; blocks it cannot improve come back as they were.
 */
class LineRecompressorTest {
  private static final String[] SYSTEMS = {"OpenSSH_2k.log", "HDFS_2k.log", "Apache_2k.log"};
  private static List<String> pool;
  private static LineDictionary dict;

  @BeforeProperty
  void trainOnce() {
    if (dict != null) return;
    pool = new ArrayList<>();
    for (String s : SYSTEMS) pool.addAll(LoghubData.lines(s));
    ZstdDictTrainer t = new ZstdDictTrainer(4 << 20, 32 << 10);
    for (String l : pool) t.addSample(l.getBytes(StandardCharsets.UTF_8));
    dict = new LineDictionary(t.trainSamples());
  }

  @Property(tries = 60)
  void recompressedBlockReadsBackTheSameEntries(@ForAll @IntRange(min = 1, max = 3000) int count,
      @ForAll long seed, @ForAll boolean withMetadata) {
    Random r = new Random(seed);
    BlockBuilder b = new BlockBuilder();
    long ts = r.nextInt(1000);
    List<Label> md = List.of(new Label("detected_level", "info"));
    for (int i = 0; i < count; i++) {
      ts += r.nextInt(3);
      byte[] line = (pool.get(r.nextInt(pool.size())) + " req=" + Integer.toHexString(r.nextInt()))
          .getBytes(StandardCharsets.UTF_8);
      b.append(ts, line, 0, line.length, withMetadata && r.nextBoolean() ? md : null);
    }
    EncodedBlock plain = b.encode();
    EncodedBlock re = new LineRecompressor(3).recompress(plain, dict);
    if (re == plain) {
      // only when the dictionary does not shrink the column (tiny blocks)
      assertThat(count).isLessThan(20);
      return;
    }
    BlockHeader p = plain.header(), h = re.header();
    assertThat(h.lines().codec()).isEqualTo(ColumnCodec.ZSTD_DICT_ID);
    assertThat(h.lines().dictionary()).isEqualTo(dict.id());
    assertThat(h.lines().storedLength()).isLessThan(p.lines().storedLength());
    assertThat(h.lines().rawLength()).isEqualTo(p.lines().rawLength());
    assertThat(new long[] {h.entryCount(), h.minTimestamp(), h.maxTimestamp(), h.rawBytes()})
        .containsExactly(p.entryCount(), p.minTimestamp(), p.maxTimestamp(), p.rawBytes());
    for (int c = 0; c < 4; c++) {
      if (c == 2) continue;
      BlockHeader.Column pc = column(p, c), hc = column(h, c);
      assertThat(slice(re, hc)).as("column %d", c).isEqualTo(slice(plain, pc));
      assertThat(hc.codec()).isEqualTo(pc.codec());
    }
    assertThat(h.filter().sizeBytes()).isEqualTo(p.filter().sizeBytes());
    // the block checks itself (CRC) and decodes, with the dictionary, to the same entries
    LineDictionaries found = (tenant, id) -> id == dict.id() ? dict : null;
    DecodedBlock want = plain.reader().readEntries(new DecodedBlock());
    DecodedBlock got = BlockReader.open(re.bytes(), 0, re.bytes().length, "re", found, "t").readEntries(new DecodedBlock());
    assertThat(got.size()).isEqualTo(want.size());
    for (int i = 0; i < want.size(); i++) {
      assertThat(got.timestamp(i)).isEqualTo(want.timestamp(i));
      assertThat(got.line(i)).isEqualTo(want.line(i));
      assertThat(got.metadata(i)).isEqualTo(want.metadata(i));
    }
    // and recompressing again changes nothing
    assertThat(new LineRecompressor(3).recompress(re, dict)).isSameAs(re);
  }

  @Property(tries = 20)
  void incompressibleLinesComeBackUnchanged(@ForAll long seed) {
    Random r = new Random(seed);
    BlockBuilder b = new BlockBuilder();
    for (int i = 0; i < 50; i++) {
      byte[] line = new byte[200];
      r.nextBytes(line);
      b.append(i, line, 0, line.length, null);
    }
    EncodedBlock plain = b.encode();
    assertThat(plain.header().lines().codec()).isEqualTo(ColumnCodec.RAW_ID);
    assertThat(new LineRecompressor(3).recompress(plain, dict)).isSameAs(plain);
  }

  private static BlockHeader.Column column(BlockHeader h, int c) {
    return switch (c) {
      case 0 -> h.timestamps();
      case 1 -> h.lengths();
      case 2 -> h.lines();
      default -> h.metadata();
    };
  }

  private static byte[] slice(EncodedBlock b, BlockHeader.Column c) {
    return Arrays.copyOfRange(b.bytes(), c.offset(), c.offset() + c.storedLength());
  }
}
