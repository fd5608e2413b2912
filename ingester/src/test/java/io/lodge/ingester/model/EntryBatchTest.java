package io.lodge.ingester.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryBatchTest {
  private static final List<Label> LEVEL = List.of(new Label("detected_level", "info"));

  @Test
  void columnsReadBackWhatWasAddedAcrossGrowth() {
    EntryBatch.Builder b = new EntryBatch.Builder(1);
    List<LogEntry> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // metadata first appears after the arrays grew: the entries before it must read as empty
      List<Label> md = i >= 5 && i % 3 == 0 ? LEVEL : List.of();
      LogEntry e = LogEntry.of(1_000L * i - 7, "line " + i, md);
      b.add(e.timestampNanos(), e.line(), md);
      expected.add(e);
    }
    EntryBatch batch = b.build();

    assertThat(batch).hasSize(40).containsExactlyElementsOf(expected);
    assertThat(batch.timestampNanos(39)).isEqualTo(38_993L);
    assertThat(new String(batch.line(7))).isEqualTo("line 7");
    assertThat(batch.metadata(4)).isEmpty();
    assertThat(batch.metadata(6)).isSameAs(LEVEL);
    assertThat(batch.metadata(7)).isEmpty();
    assertThat(batch.get(9).line()).isSameAs(batch.line(9));
  }

  @Test
  void aBatchOverATextReadsItsLinesInPlace() {
    byte[] text = "xxhelloyyworld!".getBytes();
    EntryBatch.Builder b = EntryBatch.Builder.over(text, 1);
    for (int i = 0; i < 30; i++) b.add(i, i % 2 == 0 ? 2 : 9, i % 2 == 0 ? 5 : 5, i == 3 ? LEVEL : List.of());
    b.add(30, text.length, 0, List.of()); // an empty line at the very end
    EntryBatch batch = b.build();

    assertThat(batch).hasSize(31);
    assertThat(batch.lineArray(1)).isSameAs(text);
    assertThat(batch.lineOffset(1)).isEqualTo(9);
    assertThat(batch.lineLength(1)).isEqualTo(5);
    assertThat(new String(batch.line(0))).isEqualTo("hello");
    assertThat(new String(batch.line(29))).isEqualTo("world");
    assertThat(batch.line(30)).isEmpty();
    assertThat(batch.line(2)).isNotSameAs(batch.line(2)); // a copy each time: the text is not the batch's
    assertThat(batch.get(3)).isEqualTo(LogEntry.of(3, "world", LEVEL));
    assertThat(batch.metadata(5)).isEmpty();
  }

  @Test
  void aBatchOverATextRefusesLineArraysAndRangesOutsideIt() {
    byte[] text = new byte[10];
    EntryBatch.Builder b = EntryBatch.Builder.over(text, 4);
    assertThatThrownBy(() -> b.add(1, 8, 3, List.of())).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> b.add(1, -1, 3, List.of())).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> b.add(1, new byte[1], List.of())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new EntryBatch.Builder(1).add(1, 0, 1, List.of())).isInstanceOf(IllegalStateException.class);
    EntryBatch batch = b.add(1, 8, 2, List.of()).build();
    assertThat(batch).hasSize(1);
    assertThatThrownBy(() -> batch.lineLength(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> batch.lineArray(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void withMetadataKeepsTheEntriesAndReplacesOnlyTheirMetadata() {
    byte[] text = "one two".getBytes();
    EntryBatch batch = EntryBatch.Builder.over(text, 2).add(1, 0, 3, LEVEL).add(2, 4, 3, List.of()).build();
    List<Label> trace = List.of(new Label("trace_id", "x"));
    EntryBatch stored = batch.withMetadata((List<Label>[]) new List<?>[] {null, trace});

    assertThat(stored).containsExactly(LogEntry.of(1, "one"), LogEntry.of(2, "two", trace));
    assertThat(stored.lineArray(1)).isSameAs(text);
    assertThat(batch.metadata(0)).isSameAs(LEVEL); // the original is unchanged
    assertThatThrownBy(() -> batch.withMetadata((List<Label>[]) new List<?>[3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 metadata lists for 2 entries");
  }

  @Test
  void aBatchOfArraysReadsEachLineFromItsOwnArray() {
    byte[] line = "abc".getBytes();
    EntryBatch batch = new EntryBatch.Builder(1).add(1, line, List.of()).build();
    assertThat(batch.lineArray(0)).isSameAs(line).isSameAs(batch.line(0));
    assertThat(batch.lineOffset(0)).isZero();
    assertThat(batch.lineLength(0)).isEqualTo(3);
  }

  @Test
  void indexesOutsideTheEntriesAreRefusedEvenWithinTheGrownArrays() {
    EntryBatch batch = new EntryBatch.Builder(16).add(1, new byte[] {'a'}, List.of()).build();
    assertThatThrownBy(() -> batch.timestampNanos(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> batch.line(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> batch.metadata(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> batch.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aBuilderBuildsOnceAndRefusesEntriesAfter() {
    EntryBatch.Builder b = new EntryBatch.Builder(2).add(1, new byte[0], null);
    EntryBatch batch = b.build();
    assertThat(batch.metadata(0)).isEmpty();
    assertThatThrownBy(() -> b.add(2, new byte[0], List.of())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new EntryBatch.Builder(1).add(1, null, List.of())).isInstanceOf(NullPointerException.class);
  }

  @Test
  void copyOfKeepsABatchAndComparesLikeAList() {
    List<LogEntry> entries = List.of(LogEntry.of(5, "a"), LogEntry.of(6, "b", LEVEL));
    EntryBatch batch = EntryBatch.copyOf(entries);

    assertThat(EntryBatch.copyOf(batch)).isSameAs(batch);
    assertThat(batch).isEqualTo(entries).hasSameHashCodeAs(entries);
    assertThat(EntryBatch.copyOf(List.of())).isSameAs(EntryBatch.empty()).isEmpty();
    assertThat(new PushStream(LabelSet.of("a", "1"), entries).entries()).isEqualTo(batch);
    assertThat(EntryBatch.of(LogEntry.of(5, "a"))).isNotEqualTo(EntryBatch.of(LogEntry.of(5, "b")));
  }
}
