package io.lodge.ingester.testing;

import io.lodge.config.IngesterConfig;
import io.lodge.config.LodgeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test fixtures for a real ingester on disk, shared by the ingester's and the querier's tests. */
public final class TestIngesters {
  private TestIngesters() {}

  /**
   * The default config with data under {@code dir/data} and small chunks and blocks, so every stream has
   * several sealed blocks in the head and in its chunks; the periodic flush waits an hour, so only the
   * test decides when data leaves the head.
   */
  public static LodgeConfig smallBlocks(Path dir, long chunkTargetSize, long blockSize) {
    LodgeConfig d = LodgeConfig.defaults();
    IngesterConfig i = d.ingester();
    IngesterConfig small = new IngesterConfig(chunkTargetSize, blockSize, i.maxChunkAge(), i.chunkIdlePeriod(),
        Duration.ofHours(1), i.chunkRetainPeriod(), i.wal(), i.maxHeadBytes(), i.concurrentFlushes(), i.lineDictionaries());
    return d.withPathPrefix(dir.resolve("data")).withIngester(small);
  }

  /** Deletes {@code dir} and everything under it. */
  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException("deleting " + p, e);
        }
      });
    }
  }
}
