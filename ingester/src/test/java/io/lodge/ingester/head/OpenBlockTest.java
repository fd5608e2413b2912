package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Label;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link OpenBlock#sortedSnapshot()} against a stable library sort of the appended entries. */
class OpenBlockTest {
  private record Appended(long ts, String line, List<Label> metadata) {}

  @Property(tries = 300)
  void snapshotIsAStableSortByTimestamp(@ForAll long seed, @ForAll @IntRange(min = 1, max = 700) int n,
      @ForAll @IntRange(min = 0, max = 3) int shape) {
    Random rnd = new Random(seed);
    OpenBlock block = new OpenBlock();
    long blockBytes = new long[] {0, 1, 4097, 5000, 1 << 18}[rnd.nextInt(5)];
    List<Appended> oracle = new ArrayList<>();
    long t = 1_000;
    for (int i = 0; i < n; i++) {
      long ts;
      if (shape == 0) {
        ts = t += rnd.nextInt(3); // in order, with ties (no sort needed)
      } else if (shape == 1) {
        ts = rnd.nextInt(20); // few distinct values: ties across runs test stability
      } else if (shape == 2) {
        ts = t -= rnd.nextInt(3); // reversed
      } else {
        ts = i == n - 1 ? 0 : (t += 1 + rnd.nextInt(5)); // in order but the last
      }
      String line = "line " + i + "x".repeat(rnd.nextInt(40));
      List<Label> md = rnd.nextInt(4) == 0 ? List.of(new Label("k", "v" + i)) : List.of();
      // the growth cap (the caller's block size) must not lose or cut lines, whatever it is
      block.append(ts, line.getBytes(StandardCharsets.UTF_8), md, line.length(), blockBytes);
      oracle.add(new Appended(ts, line, md));
    }
    long lineBytes = oracle.stream().mapToLong(a -> a.line().length()).sum();
    assertThat(block.retainedBytes()).as("retained covers the line bytes and 12 bytes of columns per entry")
        .isGreaterThanOrEqualTo(lineBytes + 12L * n);
    oracle.sort(Comparator.comparingLong(Appended::ts)); // List.sort is stable
    EntrySnapshot s = block.sortedSnapshot();
    assertThat(s.size()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(s.timestamps()[i]).isEqualTo(oracle.get(i).ts());
      assertThat(new String(s.lines()[i], StandardCharsets.UTF_8)).as("entry %d", i).isEqualTo(oracle.get(i).line());
      assertThat(s.metadata()[i]).isEqualTo(oracle.get(i).metadata());
    }
  }
}
