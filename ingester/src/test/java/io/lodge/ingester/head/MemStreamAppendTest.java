package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.index.HeadIndex;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.validate.LevelDetector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MemStream#append} over a batch: the duplicate rule within and across pushes, and what it counts. */
class MemStreamAppendTest {
  private static final ChunkBlockCodec CODEC = new ChunkBlockCodec(3);
  private static final LabelSet LABELS = LabelSet.of("app", "dup");
  private static final List<Label> INFO = LevelDetector.loneLevel(LevelDetector.levelIndex("info"));
  private static final List<Label> WARN = LevelDetector.loneLevel(LevelDetector.levelIndex("warn"));
  private static final List<Label> ERROR = LevelDetector.loneLevel(LevelDetector.levelIndex("error"));
  /** "detected_level" plus the value: what the head counts for a lone level. */
  private static final int LEVEL_BYTES = "detected_level".length();

  private final Head head = new Head(new HeadIndex<MemStream>(), CODEC, Sealer.inline(CODEC), 256 << 10, 0,
      System::nanoTime, OpenBudget.UNLIMITED);
  private long offset;

  private ApplyResult.Stream push(LogEntry... entries) {
    ApplyResult r = head.apply("t", new PushRequest(List.of(new PushStream(LABELS, List.of(entries)))), 0, offset++,
        ReplayMarks.none());
    return r.streams().get(0);
  }

  @Test
  void aRepeatedEntryIsADuplicateWithinABatchAndAcrossPushesButAPrefixIsNot() {
    ApplyResult.Stream first = push(
        LogEntry.of(10, "a b"),
        LogEntry.of(10, "a b"), // the previous entry again
        LogEntry.of(10, "a"), // a prefix of it, same time: another line
        LogEntry.of(11, "x", INFO),
        LogEntry.of(11, "x", INFO));
    assertThat(first.duplicates()).isEqualTo(2);
    assertThat(first.duplicateBytes()).isEqualTo(3 + 1 + LEVEL_BYTES + 4);
    assertThat(first.accepted()).isEqualTo(3);
    assertThat(first.acceptedBytes()).isEqualTo(3 + 1 + 1 + LEVEL_BYTES + 4);

    // the rule looks at time and line only: other metadata does not make it another entry
    ApplyResult.Stream second = push(LogEntry.of(11, "x", WARN), LogEntry.of(12, "x", WARN));
    assertThat(second.duplicates()).isEqualTo(1);
    assertThat(second.duplicateBytes()).isEqualTo(1 + LEVEL_BYTES + 4);
    assertThat(second.accepted()).isEqualTo(1);
  }

  @Test
  void metadataSizesStayRightWhenEntriesCycleThroughMoreListsThanAreRemembered() {
    LogEntry[] entries = new LogEntry[30];
    List<List<Label>> lists = List.of(INFO, WARN, ERROR, List.of(new Label("trace_id", "é1")));
    long expected = 0;
    for (int i = 0; i < entries.length; i++) {
      List<Label> md = lists.get(i % lists.size());
      entries[i] = LogEntry.of(100 + i, "line " + i, md);
      expected += entries[i].sizeBytes();
    }
    ApplyResult.Stream s = push(entries);
    assertThat(s.accepted()).isEqualTo(30);
    assertThat(s.acceptedBytes()).isEqualTo(expected);
  }
}
