package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.index.HeadIndex;
import io.lodge.ingester.model.EntryBatch;
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

  /**
   * A replayed record's lines are ranges of a body array that is reused once the record is applied: the
   * head keeps copies, and the duplicate rule compares with the last line as it was, not with what the
   * array holds afterwards.
   */
  @Test
  void linesOverAReusedTextAreCopiedAndTheDuplicateRuleSeesTheOldLine() {
    byte[] text = "..first..second...".getBytes();
    ApplyResult.Stream first = pushOver(text, new long[] {20, 21, 21}, new int[] {2, 9, 9}, new int[] {5, 6, 6});
    assertThat(first.accepted()).isEqualTo(2);
    assertThat(first.duplicates()).isEqualTo(1); // within the batch, in place

    // the array reused for the next record: the last line's old range [9, 15) now reads ".XXXXX"
    System.arraycopy("..second..XXXXXX..".getBytes(), 0, text, 0, text.length);
    ApplyResult.Stream second = pushOver(text, new long[] {21, 21}, new int[] {2, 9}, new int[] {6, 6});
    assertThat(second.duplicates()).isEqualTo(1); // "second" at 21 again
    assertThat(second.accepted()).isEqualTo(1); // ".XXXXX" at 21
    java.util.Arrays.fill(text, (byte) 'Z');

    MemStream s = head.select("t", List.of(io.lodge.ingester.index.LabelMatcher.eq("app", "dup"))).get(0);
    List<String> lines = new java.util.ArrayList<>();
    for (EntrySnapshot raw : s.snapshot(Long.MIN_VALUE, Long.MAX_VALUE).raw()) {
      for (int i = 0; i < raw.size(); i++) lines.add(raw.timestamps()[i] + " " + new String(raw.lines()[i]));
    }
    assertThat(lines).containsExactly("20 first", "21 second", "21 .XXXXX");
  }

  private ApplyResult.Stream pushOver(byte[] text, long[] ts, int[] starts, int[] lengths) {
    EntryBatch.Builder b = EntryBatch.Builder.over(text, ts.length);
    for (int i = 0; i < ts.length; i++) b.add(ts[i], starts[i], lengths[i], List.of());
    ApplyResult r = head.apply("t", new PushRequest(List.of(new PushStream(LABELS, b.build()))), 0, offset++,
        ReplayMarks.none());
    return r.streams().get(0);
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
