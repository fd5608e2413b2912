package io.lodge.ingester.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link DecodeAheadHandler} against decoding inline: same records, same order, same failure. */
class DecodeAheadHandlerTest {
  private static byte[] record(Random rnd, int i) {
    List<LogEntry> entries = new ArrayList<>();
    for (int k = 0; k < 1 + rnd.nextInt(5); k++) entries.add(LogEntry.of(i * 100L + k, "record " + i + " entry " + k));
    return PushRecordCodec.encode("t" + rnd.nextInt(3),
        new PushRequest(List.of(new PushStream(LabelSet.of("app", "a" + i % 7), entries))));
  }

  @Property(tries = 100)
  void appliesEveryRecordInOrder(@ForAll long seed, @ForAll @IntRange(min = 0, max = 200) int records,
      @ForAll @IntRange(min = 1, max = 20) int depth) throws Exception {
    Random rnd = new Random(seed);
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < records; i++) payloads.add(record(rnd, i));
    List<String> applied = new ArrayList<>();
    try (DecodeAheadHandler h = new DecodeAheadHandler(depth,
        (pos, push) -> applied.add(pos.offset() + " " + push))) {
      for (int i = 0; i < records; i++) h.handle(new WalPosition(1, i), payloads.get(i));
      h.finish();
    }
    List<String> inline = new ArrayList<>();
    for (int i = 0; i < records; i++) inline.add(i + " " + PushRecordCodec.decode(payloads.get(i)));
    assertThat(applied).isEqualTo(inline);
  }

  @Property(tries = 50)
  void aRecordThatDoesNotDecodeStopsReplayAfterTheRecordsBeforeIt(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int records, @ForAll @IntRange(min = 1, max = 10) int depth) {
    Random rnd = new Random(seed);
    int bad = rnd.nextInt(records);
    List<Long> applied = new ArrayList<>();
    assertThatThrownBy(() -> {
      try (DecodeAheadHandler h = new DecodeAheadHandler(depth, (pos, push) -> applied.add(pos.offset()))) {
        for (int i = 0; i < records; i++) {
          byte[] p = i == bad ? new byte[] {9, 9, 9} : record(rnd, i); // version 9: refused
          h.handle(new WalPosition(1, i), p);
        }
        h.finish();
      }
    }).isInstanceOf(PushRecordDecodeException.class).hasMessageContaining("version 9");
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < bad; i++) expected.add(i);
    assertThat(applied).isEqualTo(expected);
  }
}
