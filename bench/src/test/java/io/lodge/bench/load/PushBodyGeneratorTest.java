package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.proto.logproto.EntryAdapter;
import io.lodge.proto.logproto.PushRequest;
import io.lodge.proto.logproto.StreamAdapter;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.xerial.snappy.Snappy;

/**
 * The hand-encoded bodies parse with the generated protobuf classes (the oracle) into the promised
 * shape: the right number of entries and streams, lines from the stream's loghub system plus a req id,
 * timestamps strictly rising per stream across bodies, and no entry twice.
 */
class PushBodyGeneratorTest {
  private static final LoghubLines DATA = LoghubLines.load(LoghubLines.locate(null));

  /** A generator over {@code streams} bench streams, stream {@code i} on loghub system {@code i % 16}, as the run builds them. */
  private static PushBodyGenerator generator(int streams, int linesPerPush, int streamsPerPush, long seed, LongSupplier clock) {
    String[] labels = new String[streams];
    int[] systems = new int[streams];
    for (int i = 0; i < streams; i++) {
      labels[i] = IngestRun.streamLabels(DATA, i);
      systems[i] = i % DATA.systemCount();
    }
    return new PushBodyGenerator(DATA, labels, systems, linesPerPush, streamsPerPush, seed, clock);
  }

  @Property(tries = 30)
  void bodiesParseBackIntoFreshEntries(@ForAll @IntRange(min = 1, max = 40) int streams,
      @ForAll @IntRange(min = 1, max = 300) int linesPerPush, @ForAll @IntRange(min = 1, max = 12) int streamsPerPush,
      @ForAll long seed) throws IOException {
    Map<String, Set<String>> systemLines = new HashMap<>();
    for (int i = 0; i < streams; i++) {
      Set<String> pool = new HashSet<>();
      for (byte[] l : DATA.lines(i % DATA.systemCount())) pool.add(new String(l, java.nio.charset.StandardCharsets.UTF_8));
      systemLines.put(IngestRun.streamLabels(DATA, i), pool);
    }
    long[] clock = {1_000_000_000_000L};
    // a clock that stands still most of the time: rising timestamps must come from the generator
    PushBodyGenerator gen = generator(streams, linesPerPush, streamsPerPush, seed, () -> clock[0]);
    Map<String, Long> last = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (int b = 0; b < 5; b++) {
      if (b == 3) clock[0] += 5;
      PushBody body = gen.next();
      PushRequest req = PushRequest.parseFrom(Snappy.uncompress(body.body()));
      assertThat(req.getStreamsCount()).isEqualTo(Math.min(Math.min(streams, streamsPerPush), linesPerPush));
      int entries = 0;
      long lineBytes = 0;
      for (StreamAdapter s : req.getStreamsList()) {
        assertThat(systemLines).containsKey(s.getLabels());
        for (EntryAdapter e : s.getEntriesList()) {
          long ts = e.getTimestamp().getSeconds() * 1_000_000_000L + e.getTimestamp().getNanos();
          Long prev = last.put(s.getLabels(), ts);
          if (prev != null) assertThat(ts).isGreaterThan(prev);
          assertThat(e.getLine()).matches(".* req=[0-9a-f]{8}");
          assertThat(systemLines.get(s.getLabels())).contains(e.getLine().substring(0, e.getLine().length() - 13));
          assertThat(seen.add(s.getLabels() + ts + e.getLine())).isTrue();
          entries++;
          lineBytes += e.getLineBytes().size();
        }
      }
      assertThat(entries).isEqualTo(linesPerPush).isEqualTo(body.lines());
      assertThat(lineBytes).isEqualTo(body.lineBytes());
    }
  }

  @Property(tries = 20)
  void numberedBodiesAreTheSameInAnyOrderAndStampedFromTheirFirstTimestamp(@ForAll @IntRange(min = 1, max = 40) int streams,
      @ForAll @IntRange(min = 1, max = 300) int linesPerPush, @ForAll @IntRange(min = 1, max = 12) int streamsPerPush,
      @ForAll long seed) throws IOException {
    PushBodyGenerator forward = generator(streams, linesPerPush, streamsPerPush, seed, () -> 0);
    PushBodyGenerator backward = generator(streams, linesPerPush, streamsPerPush, seed, () -> 0);
    int n = 6;
    long step = 1_000_000L; // the pre-encoded runs' due-time step, far above linesPerPush
    byte[][] built = new byte[n][];
    for (int i = 0; i < n; i++) built[i] = forward.body(i, 5_000_000_000L + i * step).body();
    for (int i = n - 1; i >= 0; i--) {
      assertThat(backward.body(i, 5_000_000_000L + i * step).body()).as("body %d", i).isEqualTo(built[i]);
    }
    Map<String, Long> last = new HashMap<>();
    Set<String> lines = new HashSet<>();
    for (int i = 0; i < n; i++) {
      PushRequest req = PushRequest.parseFrom(Snappy.uncompress(built[i]));
      for (StreamAdapter s : req.getStreamsList()) {
        long expected = 5_000_000_000L + i * step;
        for (EntryAdapter e : s.getEntriesList()) {
          long ts = e.getTimestamp().getSeconds() * 1_000_000_000L + e.getTimestamp().getNanos();
          assertThat(ts).isEqualTo(expected++);
          Long prev = last.put(s.getLabels(), ts);
          if (prev != null) assertThat(ts).isGreaterThan(prev);
          lines.add(e.getLine());
        }
      }
    }
    // each body draws its own lines: with a line pool of hundreds and random req ids, bodies do not repeat each other
    if (n * linesPerPush >= 50) assertThat(lines.size()).isGreaterThan(n * linesPerPush * 9 / 10);
  }
}
