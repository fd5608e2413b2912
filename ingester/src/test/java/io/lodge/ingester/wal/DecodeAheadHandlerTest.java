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

  /**
   * Records holding push bodies: each is applied as inline decoding reads it, though the arrays it was
   * read into and its lines are ranges of are given back after each apply and used again: a few serve
   * every record.
   */
  @Property(tries = 40)
  void bodyArraysAreRecycledOnlyAfterTheirRecordIsApplied(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 120) int records, @ForAll @IntRange(min = 1, max = 8) int depth) throws Exception {
    Random rnd = new Random(seed);
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      PushRecordCodecTest.KeptBody push = PushRecordCodecTest.keptBody(rnd);
      payloads.add(PushRecordCodecTest.encodeWithBody("t", push.decoded(), push));
    }
    List<String> applied = new ArrayList<>();
    java.util.Set<byte[]> bodies = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    try (DecodeAheadHandler h = new DecodeAheadHandler(depth, (pos, push) -> {
      applied.add(pos.offset() + " " + push); // read now: the body array is reused once this returns
      if (push.body() != null) bodies.add(push.body());
    })) {
      for (int i = 0; i < records; i++) {
        // as WalReplay hands records over: read into an array of the handler's, recycled too
        byte[] payload = payloads.get(i);
        byte[] array = h.payloadArray(payload.length);
        System.arraycopy(payload, 0, array, 0, payload.length);
        h.handle(new WalPosition(1, i), array, payload.length);
      }
      h.finish();
    }
    List<String> inline = new ArrayList<>();
    for (int i = 0; i < records; i++) inline.add(i + " " + PushRecordCodec.decode(payloads.get(i)));
    assertThat(applied).isEqualTo(inline);
    // at most depth + 1 records wait for the applier, plus the one being read, each with a payload and a
    // body array from the one pool: no more arrays are ever made than are in use at once
    assertThat(bodies.size()).isLessThanOrEqualTo(2 * (depth + 2));
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
