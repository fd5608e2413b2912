package io.lodge.ingester.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBuffersTest {
  @Test
  void sizesRoundUpToAPowerOfTwoAndComeBackFromThePool() {
    RecordBuffers.clear();
    byte[] a = RecordBuffers.take(100_000);
    assertThat(a.length).isEqualTo(1 << 17);
    assertThat(RecordBuffers.take(1).length).isEqualTo(RecordBuffers.MIN_SIZE);
    assertThat(RecordBuffers.take(RecordBuffers.MAX_SIZE).length).isEqualTo(RecordBuffers.MAX_SIZE);
    RecordBuffers.give(a);
    assertThat(RecordBuffers.isPooled(a)).isTrue();
    assertThat(RecordBuffers.take(70_000)).isSameAs(a);
  }

  @Test
  void oversizedAndOddArraysAreNeverPooled() {
    byte[] big = RecordBuffers.take(RecordBuffers.MAX_SIZE + 1);
    assertThat(big.length).isEqualTo(RecordBuffers.MAX_SIZE + 1);
    RecordBuffers.give(big);
    assertThat(RecordBuffers.isPooled(big)).isFalse();
    byte[] odd = new byte[100_000];
    RecordBuffers.give(odd);
    assertThat(RecordBuffers.isPooled(odd)).isFalse();
  }

  @Test
  void aPooledEncodingDecodesToTheSameRequestAsTheCopiedOne() throws Exception {
    List<PushStream> streams = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      List<LogEntry> entries = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        entries.add(LogEntry.of(1_000L * i + s, "line " + i + " of stream " + s + " ".repeat(i % 50),
            i % 3 == 0 ? List.of(new io.lodge.ingester.model.Label("detected_level", "info")) : List.of()));
      }
      streams.add(new PushStream(LabelSet.of("app", "a" + s), entries));
    }
    PushRequest request = new PushRequest(streams);
    EncodedRecord pooled = PushRecordCodec.encodePooled("tenant", request);
    byte[] copied = PushRecordCodec.encode("tenant", request);
    assertThat(pooled.pooled()).isTrue();
    assertThat(java.util.Arrays.copyOf(pooled.bytes(), pooled.length())).isEqualTo(copied);
    assertThat(PushRecordCodec.decode(copied).request()).isEqualTo(request);
  }
}
