package io.lodge.ingester.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdDictTrainer;
import io.lodge.ingester.chunk.ChunkPack;
import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.ChunkReader;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.chunk.LineDictionaryPolicy;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.store.FsObjectStore;
import io.lodge.ingester.testing.FaultyObjectStore;
import io.lodge.ingester.testing.LoghubData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunks written by {@link ObjectChunkStore} to a real filesystem store, with and without line dictionaries. */
class ObjectChunkStoreTest {
  private static final LabelSet STREAM = LabelSet.of("service_name", "sshd");

  @TempDir
  Path dir;

  @Test
  void blocksSealedBeforeTheDictionaryAreWrittenWithIt() throws Exception {
    List<String> lines = LoghubData.lines("OpenSSH_2k.log");
    ZstdDictTrainer t = new ZstdDictTrainer(1 << 20, 16 << 10);
    for (String l : lines.subList(0, 1000)) t.addSample(l.getBytes(StandardCharsets.UTF_8));
    LineDictionary dict = new LineDictionary(t.trainSamples());
    // two blocks sealed before the dictionary existed (plain zstd), one after (with it)
    List<SealedBlock> blocks = new ArrayList<>();
    List<String> written = new ArrayList<>();
    long ts = 1;
    for (int b = 0; b < 3; b++) {
      BlockBuilder bb = new BlockBuilder();
      for (int i = 0; i < 600; i++) {
        String line = lines.get((b * 600 + i) % lines.size());
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        bb.append(ts++, bytes, 0, bytes.length, null);
        written.add(line);
      }
      EncodedBlock e = bb.encode(b == 2 ? dict : null);
      blocks.add(new SealedBlock(e.minTimestamp(), e.maxTimestamp(), e.entryCount(), e.rawBytes(), e.bytes()));
    }
    LineDictionaryPolicy policy = new LineDictionaryPolicy() {
      @Override
      public LineDictionary find(String tenant, long id) {
        return id == dict.id() ? dict : null;
      }

      @Override
      public LineDictionary choose(String tenant, LabelSet labels) {
        return labels.equals(STREAM) ? dict : null;
      }

      @Override
      public void offer(String tenant, LabelSet labels, byte[] lines, int[] ends, int count) {}
    };
    FsObjectStore objects = new FsObjectStore(dir);
    ChunkRef with = new ObjectChunkStore(objects, policy, 3).write("t", List.of(new PendingChunk(STREAM, blocks))).get(0);
    ChunkRef without = new ObjectChunkStore(objects)
        .write("t", List.of(new PendingChunk(LabelSet.of("service_name", "other"), blocks.subList(0, 2)))).get(0);

    ChunkReader r = ChunkReader.open(objects.get(with.object(), with.offset(), (int) with.compressedBytes()), with.key(),
        policy);
    assertThat(r.blockCount()).isEqualTo(3);
    List<String> read = new ArrayList<>();
    for (int i = 0; i < r.blockCount(); i++) {
      assertThat(r.readBlock(i).header().lines().dictionary()).as("block %d", i).isEqualTo(dict.id());
      DecodedBlock d = r.readBlock(i).readEntries(new DecodedBlock());
      for (int j = 0; j < d.size(); j++) read.add(new String(d.line(j), StandardCharsets.UTF_8));
    }
    assertThat(read).isEqualTo(written);
    assertThat(with.entries()).isEqualTo(1800);
    // the same two plain blocks take more room without the dictionary than all three with it
    ChunkReader plain = ChunkReader.open(objects.get(without.object(), without.offset(), (int) without.compressedBytes()),
        without.key());
    assertThat(plain.readBlock(0).header().lines().dictionary()).isZero();
    long plainLines = plain.readBlock(0).header().lines().storedLength() + plain.readBlock(1).header().lines().storedLength();
    long dictLines = r.readBlock(0).header().lines().storedLength() + r.readBlock(1).header().lines().storedLength();
    assertThat(dictLines).isLessThan(plainLines);
  }

  private static List<SealedBlock> oneBlock(String line) {
    BlockBuilder bb = new BlockBuilder();
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    bb.append(1, bytes, 0, bytes.length, null);
    EncodedBlock e = bb.encode(null);
    return List.of(new SealedBlock(e.minTimestamp(), e.maxTimestamp(), e.entryCount(), e.rawBytes(), e.bytes()));
  }

  @Test
  void aPutThatFailsAfterItsRenameLeavesNoObject() throws Exception {
    FsObjectStore real = new FsObjectStore(dir);
    ObjectChunkStore store = new ObjectChunkStore(new FaultyObjectStore(real).failPuts(FaultyObjectStore.When.AFTER, k -> true));
    assertThatThrownBy(() -> store.write("t", List.of(new PendingChunk(STREAM, oneBlock("a line")))))
        .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("cannot write chunk pack t/packs/");
    assertThat(real.list("")).isEmpty();
  }

  @Test
  void discardTriesEveryObjectAndReportsTheFailures() throws Exception {
    FsObjectStore real = new FsObjectStore(dir);
    ObjectChunkStore writer = new ObjectChunkStore(real);
    List<ChunkRef> refs = new ArrayList<>();
    for (int i = 0; i < 3; i++) refs.addAll(writer.write("t", List.of(new PendingChunk(STREAM, oneBlock("line " + i)))));
    String stuck = refs.get(1).object();
    ObjectChunkStore store = new ObjectChunkStore(new FaultyObjectStore(real).failDeletes(stuck::equals));

    assertThatThrownBy(() -> store.discard(refs)).isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("cannot delete unindexed chunk object " + stuck);

    assertThat(real.list("")).containsExactly(stuck);
  }

  @Test
  void listPacksFindsEveryTenantsPacksSinceATimeAndOnlyPacks() throws Exception {
    FsObjectStore real = new FsObjectStore(dir);
    ObjectChunkStore store = new ObjectChunkStore(real);
    long t = 1_798_761_599_000_000_000L; // 2026-12-31T23:59:59Z
    List<String> keys = List.of(ChunkPack.key("a", t - 86_400_000_000_000L, 1), ChunkPack.key("a", t - 1, 2),
        ChunkPack.key("a", t, 3), ChunkPack.key("a", t + 2_000_000_000L, 4), ChunkPack.key("b", t + 5, 5));
    for (String k : keys) real.put(k, new byte[] {1});
    real.put("a/chunks/3f1c0a9e5b7d2e44/17a3b1c2d3e4f500-17a3b1c9a0b1c2d3-8e1f2a3b", new byte[] {1});
    real.put("a/packs/2026-12-31/not-a-pack", new byte[] {1});
    real.put("a/dicts/1", new byte[] {1});

    assertThat(store.listPacks(t, k -> true)).containsExactly(keys.get(2), keys.get(3), keys.get(4));
    assertThat(store.listPacks(t, k -> !k.startsWith("a/"))).containsExactly(keys.get(4));
    assertThat(store.listPacks(Long.MIN_VALUE + 1, k -> true)).containsExactlyElementsOf(keys);

    store.deletePack(keys.get(2));
    assertThat(real.exists(keys.get(2))).isFalse();
    assertThatThrownBy(() -> store.deletePack("a/dicts/1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a chunk pack: a/dicts/1");
    assertThat(real.exists("a/dicts/1")).isTrue();
  }
}
