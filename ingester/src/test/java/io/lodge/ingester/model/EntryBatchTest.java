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
