package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.index.HeadIndex;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Memory pressure cuts the streams holding the most compressed blocks first, not the most bytes. */
class PressureCutTest {
  private static final ChunkBlockCodec CODEC = new ChunkBlockCodec(3);
  private static final int BLOCK = 16 << 10;

  @Test
  void aStreamOfCompressedBlocksIsCutBeforeALargerStreamThatIsAllOpenBlock() {
    Head head = new Head(new HeadIndex<MemStream>(), CODEC, Sealer.inline(CODEC), BLOCK, 0, System::nanoTime);
    // "open": 100 repetitive lines, 15 KB, all in its open block (under the 16 KiB block size)
    List<LogEntry> open = new ArrayList<>();
    for (int i = 0; i < 100; i++) open.add(entry(i, ("open stream line " + i + " ").repeat(10).substring(0, 150)));
    // "sealed": exactly one block of random hex lines (compress poorly), frozen and sealed, nothing open
    Random rnd = new Random(3);
    List<LogEntry> sealed = new ArrayList<>();
    for (int i = 0; i < BLOCK / 128; i++) {
      StringBuilder line = new StringBuilder();
      while (line.length() < 128) line.append(Long.toHexString(rnd.nextLong()));
      sealed.add(entry(i, line.substring(0, 128)));
    }
    head.apply("t", new PushRequest(List.of(new PushStream(LabelSet.of("app", "open"), open),
        new PushStream(LabelSet.of("app", "sealed"), sealed))), 0, 0, ReplayMarks.none());
    MemStream openStream = stream(head, "open");
    MemStream sealedStream = stream(head, "sealed");
    assertThat(openStream.frozenBytes()).isZero();
    assertThat(sealedStream.frozenBytes()).isPositive();
    // the open stream is the larger, and cutting either one alone brings the head under three quarters
    long total = head.memoryBytes();
    long max = total - 1;
    assertThat(openStream.memoryBytes()).isGreaterThan(sealedStream.memoryBytes());
    assertThat(total - sealedStream.memoryBytes()).isLessThanOrEqualTo(max / 4 * 3);

    List<MemStream.Cut> cuts = head.cutLargest(max);
    assertThat(cuts).extracting(c -> c.stream().labels().get("app")).containsExactly("sealed");
    assertThat(cuts.get(0).blocks()).hasSize(1);
  }

  private static MemStream stream(Head head, String app) {
    List<MemStream> found = head.select("t", List.of(LabelMatcher.eq("app", app)));
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static LogEntry entry(long ts, String line) {
    return new LogEntry(1_000 + ts, line.getBytes(StandardCharsets.UTF_8), List.of());
  }
}
