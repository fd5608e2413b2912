package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compression on real logs: each ../shared/data/loghub/*.log file (16 systems x 2000 lines) becomes
 * one stream, cut into blocks at a raw-size target, written as a chunk, read back and compared. Prints
 * the ratio of raw line bytes to chunk bytes (header, filters and index included) for docs/STORAGE.md.
 */
class LoghubCompressionTest {
  static Path loghubDir() {
    String prop = System.getProperty("lodge.shared.dir");
    if (prop != null && Files.isDirectory(Paths.get(prop, "data", "loghub"))) return Paths.get(prop, "data", "loghub");
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path d = p.resolve("shared").resolve("data").resolve("loghub");
      if (Files.isDirectory(d)) return d;
    }
    return null;
  }

  record Result(long rawBytes, long chunkBytes, long filterBytes, long lineColumnBytes, long tsColumnBytes, int blocks) {}

  static Result compress(List<List<LogEntry>> streams, int blockTarget, int level) {
    long raw = 0, chunk = 0, filter = 0, linesCol = 0, tsCol = 0;
    int nBlocks = 0;
    BlockBuilder b = new BlockBuilder(level);
    DecodedBlock d = new DecodedBlock();
    for (int s = 0; s < streams.size(); s++) {
      List<LogEntry> entries = streams.get(s);
      List<EncodedBlock> blocks = new ArrayList<>();
      for (LogEntry e : entries) {
        b.append(e);
        if (b.rawBytes() >= blockTarget) {
          blocks.add(b.encode());
          b.reset();
        }
      }
      if (!b.isEmpty()) blocks.add(b.encode());
      b.reset();
      byte[] bytes = ChunkWriter.write("loghub", LabelSet.of("job", "s" + s), blocks);
      ChunkReader r = ChunkReader.open(bytes, null);
      List<LogEntry> back = new ArrayList<>();
      for (int i = 0; i < r.blockCount(); i++) {
        BlockReader br = r.readBlock(i);
        back.addAll(BlockRoundTripTest.decoded(br.readEntries(d)));
        filter += br.header().filter().sizeBytes();
        linesCol += br.header().lines().storedLength();
        tsCol += br.header().timestamps().storedLength();
      }
      assertThat(back).isEqualTo(entries);
      raw += r.header().rawBytes();
      chunk += bytes.length;
      nBlocks += r.blockCount();
    }
    return new Result(raw, chunk, filter, linesCol, tsCol, nBlocks);
  }

  static List<List<LogEntry>> loadStreams(Path dir) throws IOException {
    List<List<LogEntry>> streams = new ArrayList<>();
    Random rnd = new Random(1);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<LogEntry> es = new ArrayList<>();
        long ts = 1_700_000_000_000_000_000L;
        for (String line : Files.readAllLines(f)) {
          ts += rnd.nextInt(50_000_000); // up to 50 ms apart, nanosecond jitter like real shippers
          es.add(LogEntry.of(ts, line));
        }
        streams.add(es);
      }
    }
    return streams;
  }

  /**
   * Two timestamp profiles: nanosecond jitter (what a shipper stamping at read time produces; about 3.2
   * bytes of entropy per entry that no codec can remove) and whole milliseconds (timestamps parsed
   * from the lines). The bounds are regression guards a little under the measured figures in
   * docs/STORAGE.md, not the 8x target, which zstd level 3 does not reach on these small files.
   */
  @Test
  void loghubCompressionRatio() throws IOException {
    Path dir = loghubDir();
    Assumptions.assumeTrue(dir != null, "shared/data/loghub not found");
    List<List<LogEntry>> ns = loadStreams(dir);
    assertThat(ns).hasSize(16);
    List<List<LogEntry>> ms = new ArrayList<>();
    for (List<LogEntry> s : ns) {
      ms.add(s.stream().map(e -> new LogEntry(e.timestampNanos() / 1_000_000 * 1_000_000, e.line(), e.metadata())).toList());
    }
    for (int target : new int[] {256 << 10, 1 << 20}) {
      for (boolean millis : new boolean[] {false, true}) {
        Result r = compress(millis ? ms : ns, target, ZstdColumnCodec.DEFAULT_LEVEL);
        double ratio = r.rawBytes() / (double) r.chunkBytes();
        System.out.printf("loghub zstd-3, %4d KiB blocks, %s timestamps: %d raw bytes -> %d chunk bytes, ratio %.2fx "
                + "(%d blocks; lines column %d, timestamps column %d, token filters %d bytes)%n",
            target >> 10, millis ? "ms" : "ns", r.rawBytes(), r.chunkBytes(), ratio, r.blocks(),
            r.lineColumnBytes(), r.tsColumnBytes(), r.filterBytes());
        assertThat(ratio).isGreaterThanOrEqualTo(millis ? 7.5 : 6.5);
        // the lines alone compress like zstd -3 on the files (CLI: 448409 bytes)
        assertThat(r.rawBytes() / (double) r.lineColumnBytes()).isGreaterThan(9.0);
      }
    }
  }
}
