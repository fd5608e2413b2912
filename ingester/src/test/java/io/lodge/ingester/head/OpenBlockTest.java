package io.lodge.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Label;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link OpenBlock#sortedSnapshot()} and the encoder's views ({@link BlockColumns}) against a stable
 * library sort of the appended entries, over blocks on one page or many, with lines longer than a page.
 */
class OpenBlockTest {
  private record Appended(long ts, byte[] line, List<Label> metadata) {}

  private static List<Appended> fill(OpenBlock block, Random rnd, int n, int shape, long blockBytes) {
    List<Appended> appended = new ArrayList<>();
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
      int kind = rnd.nextInt(100);
      // mostly short lines; some empty; some longer than a 64 KiB page (their own page)
      int len = kind == 0 ? 0 : kind == 1 ? LinePages.MAX_PAGE + rnd.nextInt(3 * LinePages.MAX_PAGE) : kind < 5
          ? rnd.nextInt(LinePages.MAX_PAGE) : rnd.nextInt(300);
      byte[] line = new byte[len];
      String head = "line " + i + " ";
      for (int k = 0; k < len; k++) line[k] = k < head.length() ? (byte) head.charAt(k) : (byte) ('a' + rnd.nextInt(26));
      List<Label> md = rnd.nextInt(4) == 0 ? List.of(new Label("k", "v" + i)) : List.of();
      // the page sizing (from the caller's block size) must not lose or cut lines, whatever it is
      block.append(ts, line, md, line.length, blockBytes);
      appended.add(new Appended(ts, line, md));
    }
    return appended;
  }

  @Property(tries = 200)
  void snapshotAndColumnsAreAStableSortByTimestamp(@ForAll long seed, @ForAll @IntRange(min = 1, max = 700) int n,
      @ForAll @IntRange(min = 0, max = 3) int shape) {
    Random rnd = new Random(seed);
    OpenBlock block = new OpenBlock();
    long blockBytes = new long[] {0, 1, 4097, 5000, 1 << 18}[rnd.nextInt(5)];
    List<Appended> arrival = fill(block, rnd, n, shape, blockBytes);
    long lineBytes = arrival.stream().mapToLong(a -> a.line().length).sum();
    long pageBytes = 0;
    for (int p = 0; p < block.pageCount(); p++) pageBytes += block.page(p).capacity();
    assertThat(pageBytes).as("pages hold every line").isGreaterThanOrEqualTo(lineBytes);
    assertThat(block.retainedBytes()).as("retained covers the pages and 12 bytes of columns per entry")
        .isGreaterThanOrEqualTo(pageBytes + 12L * n);
    List<Appended> sorted = new ArrayList<>(arrival);
    sorted.sort(Comparator.comparingLong(Appended::ts)); // List.sort is stable

    EntrySnapshot s = block.sortedSnapshot();
    assertThat(s.size()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(s.timestamps()[i]).isEqualTo(sorted.get(i).ts());
      assertThat(s.lines()[i]).as("entry %d", i).isEqualTo(sorted.get(i).line());
      assertThat(s.metadata()[i]).isEqualTo(sorted.get(i).metadata());
    }

    BlockColumns c = block.columns();
    assertThat(c.isSorted()).isEqualTo(arrival.equals(sorted));
    assertThat(c.lineBytes()).isEqualTo(lineBytes);
    long[] ts = new long[n];
    int[] ends = new int[n];
    byte[] lines = new byte[(int) lineBytes];
    @SuppressWarnings("unchecked")
    List<Label>[] md = (List<Label>[]) new List<?>[n];
    c.copySorted(ts, ends, lines, md);
    for (int i = 0, start = 0; i < n; i++) {
      assertThat(ts[i]).isEqualTo(sorted.get(i).ts());
      assertThat(Arrays.copyOfRange(lines, start, ends[i])).as("sorted copy, entry %d", i).isEqualTo(sorted.get(i).line());
      assertThat(md[i] == null ? List.of() : md[i]).isEqualTo(sorted.get(i).metadata());
      start = ends[i];
    }
    // arrival order, gathered page by page (or in place on one page), indexed by the block's own line ends
    byte[] gathered = c.contiguousLines();
    if (gathered == null) {
      assertThat(block.pageCount() > 1 || block.page(0).isDirect()).as("several pages, or one off the heap").isTrue();
      gathered = new byte[(int) lineBytes];
      c.copyLines(gathered);
    }
    for (int i = 0, start = 0; i < n; i++) {
      assertThat(Arrays.copyOfRange(gathered, start, c.lineEnds()[i])).as("gathered, entry %d", i)
          .isEqualTo(arrival.get(i).line());
      assertThat(c.timestamps()[i]).isEqualTo(arrival.get(i).ts());
      start = c.lineEnds()[i];
    }
  }

  @Property(tries = 50)
  void aLineLongerThanAPageGetsAPageOfItsOwn(@ForAll @IntRange(min = LinePages.MAX_PAGE + 1, max = 1 << 20) int len) {
    OpenBlock block = new OpenBlock();
    byte[] small = "before".getBytes(StandardCharsets.UTF_8);
    byte[] huge = new byte[len];
    Arrays.fill(huge, (byte) 'h');
    block.append(1, small, List.of(), small.length, 1 << 18);
    block.append(2, huge, List.of(), huge.length, 1 << 18);
    block.append(3, small, List.of(), small.length, 1 << 18);
    assertThat(block.pageCount()).isEqualTo(3);
    assertThat(block.page(1).capacity()).isEqualTo(len);
    assertThat(block.page(1).isDirect()).as("a page of its own length is a heap array").isFalse();
    EntrySnapshot s = block.sortedSnapshot();
    assertThat(s.lines()[1]).isEqualTo(huge);
    assertThat(s.lines()[2]).isEqualTo(small);
  }
}
