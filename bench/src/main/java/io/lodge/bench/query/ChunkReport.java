package io.lodge.bench.query;

import io.lodge.ingester.chunk.BlockBuilder;
import io.lodge.ingester.chunk.BlockHeader;
import io.lodge.ingester.chunk.ChunkPack;
import io.lodge.ingester.chunk.ChunkReader;
import io.lodge.ingester.chunk.ChunkWriter;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.chunk.LineDictionaries;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.chunk.LineDictionaryObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where the bytes of a data directory's chunks go ({@code bench query --chunk-report}): the stored size of
 * each block column and of the token filters over all chunks; and, for each {@code --recompact} setting,
 * the size the same chunks would have with blocks rebuilt to another raw size and zstd level (what
 * cutting larger blocks, or re-compressing at flush, would give), with the rebuilding thread's CPU time.
 * Line dictionary objects ({@code <tenant>/dicts/}) are counted apart and used to decode the blocks.
 */
final class ChunkReport {
  private ChunkReport() {}

  /** A rebuild setting: target raw bytes per block and zstd level, parsed from {@code BYTES:LEVEL}. */
  record Setting(int blockBytes, int level) {
    static Setting parse(String s) {
      String[] p = s.split(":");
      if (p.length != 2) throw new IllegalArgumentException("--recompact wants BYTES:LEVEL, e.g. 1048576:9, got " + s);
      return new Setting(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }
  }

  static void print(Path objects, long rawLineBytes, List<Setting> settings, PrintWriter out) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(objects)) {
      all = s.filter(Files::isRegularFile).sorted().toList();
    }
    List<Path> files = new ArrayList<>();
    Map<Long, LineDictionary> dicts = new HashMap<>();
    long dictBytes = 0;
    for (Path p : all) {
      if (!objects.relativize(p).toString().contains("/dicts/")) {
        files.add(p);
        continue;
      }
      byte[] b = Files.readAllBytes(p);
      dictBytes += b.length;
      LineDictionary d = LineDictionaryObject.decode(b, null).dictionary();
      dicts.put(d.id(), d);
    }
    LineDictionaries found = (tenant, id) -> dicts.get(id);
    out.printf(Locale.ROOT, "line dictionaries: %d objects, %,d bytes%n", dicts.size(), dictBytes);
    long[] raw = new long[4], stored = new long[4];
    long filters = 0, total = 0, blocks = 0, dictBlocks = 0;
    long chunkCount = 0;
    for (Path p : files) {
      total += Files.size(p);
      for (byte[] b : chunksOf(p)) {
        chunkCount++;
        ChunkReader r = ChunkReader.open(b, p.toString(), found);
        for (int i = 0; i < r.blocks().size(); i++) {
          BlockHeader h = r.readBlock(i).header();
          BlockHeader.Column[] cs = {h.timestamps(), h.lengths(), h.lines(), h.metadata()};
          for (int c = 0; c < 4; c++) {
            raw[c] += cs[c].rawLength();
            stored[c] += cs[c].storedLength();
          }
          filters += h.filter().sizeBytes();
          blocks++;
          if (h.lines().usesDictionary()) dictBlocks++;
        }
      }
    }
    out.printf(Locale.ROOT, "chunks: %d in %d objects, %d blocks (%d with a line dictionary), %,d bytes%n", chunkCount,
        files.size(), blocks, dictBlocks, total);
    String[] names = {"timestamps", "line lengths", "lines", "metadata"};
    for (int c = 0; c < 4; c++) {
      out.printf(Locale.ROOT, "  %-13s raw %,15d  stored %,13d  %5.1f%% of chunks%n", names[c], raw[c], stored[c],
          100.0 * stored[c] / total);
    }
    out.printf(Locale.ROOT, "  %-13s %34s %,13d  %5.1f%% of chunks%n", "token filters", "", filters, 100.0 * filters / total);
    for (Setting s : settings) rebuild(files, found, s, total, rawLineBytes, out);
  }

  private static void rebuild(List<Path> files, LineDictionaries dicts, Setting s, long before, long rawLineBytes,
      PrintWriter out) throws IOException {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu = 0, after = 0, lines = 0, filters = 0;
    DecodedBlock d = new DecodedBlock();
    BlockBuilder bb = new BlockBuilder(s.level());
    for (Path p : files) {
      for (byte[] bytes : chunksOf(p)) {
        ChunkReader r = ChunkReader.open(bytes, p.toString(), dicts);
        long c0 = mx.getCurrentThreadCpuTime();
        List<EncodedBlock> rebuilt = new ArrayList<>();
        for (int i = 0; i < r.blocks().size(); i++) {
          r.readBlock(i).readEntries(d);
          for (int j = 0; j < d.size(); j++) {
            bb.append(d.timestamp(j), d.lineBytes(), d.lineOffset(j), d.lineLength(j), d.metadata(j));
            if (bb.rawBytes() >= s.blockBytes()) {
              rebuilt.add(bb.encode());
              bb.reset();
            }
          }
        }
        if (bb.rawBytes() > 0) {
          rebuilt.add(bb.encode());
          bb.reset();
        }
        byte[] chunk = ChunkWriter.write(r.header().tenant(), r.header().labels(), rebuilt);
        cpu += mx.getCurrentThreadCpuTime() - c0;
        after += chunk.length;
        for (EncodedBlock e : rebuilt) {
          lines += e.header().lines().storedLength();
          filters += e.header().filter().sizeBytes();
        }
      }
    }
    out.printf(Locale.ROOT, "rebuilt with %,d-byte blocks at zstd %d: %,d bytes (%.2fx of the line bytes; now %.2fx), lines %,d,"
        + " filters %,d; %.2f s of CPU (decode + encode)%n", s.blockBytes(), s.level(), after,
        rawLineBytes / (double) after, rawLineBytes / (double) before, lines, filters, cpu / 1e9);
  }

  /** The chunks of one chunk object: every chunk of a pack ({@code <tenant>/packs/<day>/}), or the object itself. */
  private static List<byte[]> chunksOf(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    if (!p.getParent().getParent().getFileName().toString().equals("packs")) return List.of(b);
    List<byte[]> chunks = new ArrayList<>();
    for (ChunkPack.Entry e : ChunkPack.entries(b, p.toString())) {
      chunks.add(Arrays.copyOfRange(b, (int) e.offset(), (int) e.offset() + e.length()));
    }
    return chunks;
  }
}
