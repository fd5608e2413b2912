package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.index.HeadIndex;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cuts compress their streams' open blocks one line dictionary after another (the codec's affinity), not
 * in the head's hash order, so that a dictionary's tables stay in the CPU caches across the cuts.
 */
class CutOrderTest {
  private static final String[] APPS = {"nginx", "sshd", "kafka", "redis"};
  private static final int PODS = 6;

  /** A head holding an open block in each of 24 streams, 6 pods of each of 4 apps, pushed interleaved. */
  private static Head head(RecordingCodec codec) {
    Head head = new Head(new HeadIndex<MemStream>(), codec, Sealer.inline(codec), 256 << 10, 0, System::nanoTime);
    List<PushStream> streams = new ArrayList<>();
    for (int pod = 0; pod < PODS; pod++) {
      for (String app : APPS) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          entries.add(new LogEntry(1_000 + i, (app + " pod " + pod + " line " + i).getBytes(StandardCharsets.UTF_8), List.of()));
        }
        streams.add(new PushStream(LabelSet.of("app", app, "pod", "p" + pod), entries));
      }
    }
    head.apply("t", new PushRequest(streams), 0, 0, ReplayMarks.none());
    assertThat(codec.sealed).as("nothing compressed before the cut").isEmpty();
    return head;
  }

  /** The runs of equal values in {@code order}: one per app when the cuts went dictionary by dictionary. */
  private static List<String> runs(List<String> order) {
    List<String> runs = new ArrayList<>();
    for (String app : order) if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(app)) runs.add(app);
    return runs;
  }

  @Test
  void aFlushCycleCutsStreamsGroupedByLineDictionary() {
    RecordingCodec codec = new RecordingCodec();
    Head head = head(codec);
    List<MemStream.Cut> cuts = head.cut(new FlushPolicy(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, true, -1));
    assertThat(cuts).hasSize(APPS.length * PODS);
    assertThat(codec.sealed).hasSize(APPS.length * PODS);
    assertThat(runs(codec.apps())).containsExactlyInAnyOrder(APPS);
  }

  @Test
  void memoryPressureCutsStreamsGroupedByLineDictionary() {
    RecordingCodec codec = new RecordingCodec();
    Head head = head(codec);
    // a bound of 1 byte: every stream is cut to get under three quarters of it
    List<MemStream.Cut> cuts = head.cutLargest(1);
    assertThat(cuts).hasSize(APPS.length * PODS);
    assertThat(runs(codec.apps())).containsExactlyInAnyOrder(APPS);
  }
}
