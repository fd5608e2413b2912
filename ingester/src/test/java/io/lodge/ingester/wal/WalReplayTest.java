package io.lodge.ingester.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalReplayTest {
  @TempDir Path tmp;
  final WalMetrics metrics = new WalMetrics(new PrometheusRegistry());

  /** A WAL written for a test: payloads and where each landed. */
  record Written(List<byte[]> payloads, List<WalPosition> positions) {
    long end(int i) {
      return positions.get(i).offset() + WalFormat.FRAME_HEADER_SIZE + payloads.get(i).length;
    }
  }

  Written write(Path dir, int records, long segmentSize, long seed) throws IOException {
    Random r = new Random(seed);
    List<byte[]> payloads = new ArrayList<>();
    List<WalPosition> positions = new ArrayList<>();
    try (WalWriter w = new WalWriter(dir, new WalOptions(false, segmentSize), metrics)) {
      for (int i = 0; i < records; i++) {
        byte[] p = new byte[5 + r.nextInt(60)];
        r.nextBytes(p);
        payloads.add(p);
        positions.add(w.append(p, Function.identity()).join());
      }
    }
    return new Written(payloads, positions);
  }

  static List<byte[]> replay(Path dir, boolean skip) throws IOException {
    List<byte[]> out = new ArrayList<>();
    WalReplay.replay(dir, skip, (pos, p) -> out.add(p));
    return out;
  }

  @Test
  void segmentBytesCountsEverySegmentAndNothingElse() throws IOException {
    Path dir = tmp.resolve("sizes");
    assertThat(WalReplay.segmentBytes(dir)).as("no directory yet").isZero();
    write(dir, 30, 256, 13);
    long files;
    try (var list = Files.list(dir)) {
      files = list.mapToLong(f -> f.toFile().length()).sum();
    }
    Files.write(dir.resolve("notes.txt"), new byte[1000]);
    assertThat(WalFormat.listSegments(dir)).as("small segments: several").hasSizeGreaterThan(3);
    assertThat(WalReplay.segmentBytes(dir)).isEqualTo(files).isPositive();
  }

  @Test
  void tornTailIsTruncatedAtEveryByteOfTheLastRecord() throws IOException {
    Path orig = tmp.resolve("orig");
    Written w = write(orig, 5, 1 << 20, 1);
    byte[] file = Files.readAllBytes(WalFormat.segmentPath(orig, 1));
    long start = w.positions().get(4).offset();
    assertThat(w.end(4)).isEqualTo(file.length);
    for (int cut = (int) start; cut < file.length; cut++) {
      for (int fill = 0; fill < 2; fill++) {
        // fill 0: the file ends mid-record; fill 1: the rest reads as zeros (preallocated/unsynced space).
        Path dir = Files.createDirectories(tmp.resolve("cut" + cut + "-" + fill));
        byte[] torn = fill == 0 ? Arrays.copyOf(file, cut) : Arrays.copyOf(Arrays.copyOf(file, cut), file.length + 100);
        Files.write(WalFormat.segmentPath(dir, 1), torn);
        List<byte[]> got = new ArrayList<>();
        ReplayStats stats = WalReplay.replay(dir, false, (pos, p) -> got.add(p));
        assertThat(got).containsExactlyElementsOf(w.payloads().subList(0, 4));
        assertThat(stats.tornTailTruncatedBytes()).isEqualTo(torn.length - start);
        assertThat(Files.size(WalFormat.segmentPath(dir, 1))).isEqualTo(start);
        // A writer opened afterwards appends in a new segment; everything replays again.
        try (WalWriter writer = new WalWriter(dir, new WalOptions(false, 1 << 20), metrics)) {
          assertThat(writer.append(new byte[] {42}, Function.identity()).join().segmentId()).isEqualTo(2);
        }
        assertThat(replay(dir, false)).hasSize(5).last().isEqualTo(new byte[] {42});
      }
    }
  }

  @Test
  void bitFlipInTheMiddleIsCorruptionNamingTheOffset() throws IOException {
    Random r = new Random(7);
    for (int round = 0; round < 40; round++) {
      Path dir = tmp.resolve("flip" + round);
      Written w = write(dir, 10, 1 << 20, round);
      int victim = 1 + r.nextInt(7);
      long start = w.positions().get(victim).offset();
      long at = start + r.nextInt((int) (w.end(victim) - start));
      Path seg = WalFormat.segmentPath(dir, 1);
      byte[] b = Files.readAllBytes(seg);
      b[(int) at] ^= (byte) (1 << r.nextInt(8));
      Files.write(seg, b);
      assertThatThrownBy(() -> replay(dir, false)).isInstanceOfSatisfying(WalCorruptionException.class, e -> {
        assertThat(e.offset()).isEqualTo(start);
        assertThat(e.path()).isEqualTo(seg);
        assertThat(e.getMessage()).contains(seg.toString()).contains("offset " + start)
            .contains("a valid frame follows at offset " + w.end(victim));
      });
      assertThat(Files.size(seg)).isEqualTo(b.length); // nothing cut off a corrupt middle
      List<byte[]> got = new ArrayList<>();
      ReplayStats stats = WalReplay.replay(dir, true, (pos, p) -> got.add(p));
      List<byte[]> expected = new ArrayList<>(w.payloads());
      expected.remove(victim);
      assertThat(got).containsExactlyElementsOf(expected);
      assertThat(stats.skippedCorruptBytes()).isEqualTo(w.end(victim) - start);
    }
  }

  @Test
  void zeroedRangeInTheMiddleIsCorruptionAndSkippable() throws IOException {
    Path dir = tmp.resolve("zero");
    Written w = write(dir, 12, 1 << 20, 3);
    long from = w.positions().get(3).offset() + 3;
    long to = w.end(6) - 2; // records 3..6 damaged
    Path seg = WalFormat.segmentPath(dir, 1);
    byte[] b = Files.readAllBytes(seg);
    Arrays.fill(b, (int) from, (int) to, (byte) 0);
    Files.write(seg, b);
    assertThatThrownBy(() -> replay(dir, false)).isInstanceOfSatisfying(WalCorruptionException.class,
        e -> assertThat(e.offset()).isEqualTo(w.positions().get(3).offset()));
    List<byte[]> got = new ArrayList<>();
    ReplayStats stats = WalReplay.replay(dir, true, (pos, p) -> got.add(p));
    List<byte[]> expected = new ArrayList<>(w.payloads().subList(0, 3));
    expected.addAll(w.payloads().subList(7, 12));
    assertThat(got).containsExactlyElementsOf(expected);
    assertThat(stats.skippedCorruptBytes()).isEqualTo(w.end(6) - w.positions().get(3).offset());
  }

  @Test
  void zeroRunEndingAtAFrameIsSkippedUpToThatFrame() throws IOException {
    // Records 3-6 zeroed whole: the zeros end where record 7's header begins, itself with zero bytes
    // (a length under 2^24), so a skip over the run must land before the run's last non-zero byte.
    Path dir = tmp.resolve("zerorun");
    Written w = write(dir, 12, 1 << 20, 4);
    long from = w.positions().get(3).offset();
    long to = w.end(6);
    Path seg = WalFormat.segmentPath(dir, 1);
    byte[] b = Files.readAllBytes(seg);
    Arrays.fill(b, (int) from, (int) to, (byte) 0);
    Files.write(seg, b);
    assertThatThrownBy(() -> replay(dir, false)).isInstanceOfSatisfying(WalCorruptionException.class, e -> {
      assertThat(e.offset()).isEqualTo(from);
      assertThat(e.getMessage()).contains("frame checksum mismatch: stored 0x00000000")
          .contains("a valid frame follows at offset " + to);
    });
    List<byte[]> got = new ArrayList<>();
    ReplayStats stats = WalReplay.replay(dir, true, (pos, p) -> got.add(p));
    List<byte[]> expected = new ArrayList<>(w.payloads().subList(0, 3));
    expected.addAll(w.payloads().subList(7, 12));
    assertThat(got).containsExactlyElementsOf(expected);
    assertThat(stats.skippedCorruptBytes()).isEqualTo(to - from);
  }

  @Test
  void zeroTailLongerThanTheReadWindowIsCutAndAFrameBeyondItFound() throws IOException {
    int zeros = (5 << 20) / 2 + 13; // 2.5 MiB and some: spans three read windows
    Path dir = tmp.resolve("longzeros");
    Written w = write(dir, 6, 1 << 30, 8);
    Path seg = WalFormat.segmentPath(dir, 1);
    byte[] data = Files.readAllBytes(seg);
    Files.write(seg, Arrays.copyOf(data, data.length + zeros)); // unwritten space after the last frame
    ReplayStats stats = WalReplay.replay(dir, false, (pos, p) -> {});
    assertThat(stats.records()).isEqualTo(6);
    assertThat(stats.tornTailTruncatedBytes()).isEqualTo(zeros);
    assertThat(Files.size(seg)).isEqualTo(data.length);

    // The same zeros with a copy of the last frame after them: acknowledged data after a hole.
    long last = w.positions().get(5).offset();
    byte[] frame = Arrays.copyOfRange(data, (int) last, data.length);
    byte[] holed = Arrays.copyOf(data, data.length + zeros + frame.length);
    System.arraycopy(frame, 0, holed, data.length + zeros, frame.length);
    Files.write(seg, holed);
    assertThatThrownBy(() -> replay(dir, false)).isInstanceOfSatisfying(WalCorruptionException.class, e -> {
      assertThat(e.offset()).isEqualTo(data.length);
      assertThat(e.getMessage()).contains("a valid frame follows at offset " + (data.length + zeros));
    });
    assertThat(replay(dir, true)).hasSize(7).last().isEqualTo(w.payloads().get(5));
  }

  @Test
  void damagedTailOfANonLastSegmentIsCorruption() throws IOException {
    Path dir = tmp.resolve("nonlast");
    Written w = write(dir, 40, 512, 5);
    int lastOfFirst = -1;
    for (int i = 0; i < 40; i++) if (w.positions().get(i).segmentId() == 1) lastOfFirst = i;
    Path seg = WalFormat.segmentPath(dir, 1);
    byte[] b = Files.readAllBytes(seg);
    b[b.length - 1] ^= 1;
    Files.write(seg, b);
    long offset = w.positions().get(lastOfFirst).offset();
    assertThatThrownBy(() -> replay(dir, false)).isInstanceOfSatisfying(WalCorruptionException.class, e -> {
      assertThat(e.offset()).isEqualTo(offset);
      assertThat(e.getMessage()).contains("not the last");
    });
    List<byte[]> expected = new ArrayList<>(w.payloads());
    expected.remove(lastOfFirst);
    assertThat(replay(dir, true)).containsExactlyElementsOf(expected);

    // A non-last segment cut short loses acknowledged records: corruption too.
    Path dir2 = tmp.resolve("short");
    write(dir2, 40, 512, 5);
    Path seg2 = WalFormat.segmentPath(dir2, 1);
    Files.write(seg2, Arrays.copyOf(Files.readAllBytes(seg2), (int) offset));
    assertThatThrownBy(() -> replay(dir2, false)).isInstanceOf(WalCorruptionException.class)
        .hasMessageContaining("acknowledged records are missing");
  }

  @Test
  void tornHeaderOfTheLastSegmentIsDeletedAndCorruptHeadersElsewhereRefused() throws IOException {
    Path dir = tmp.resolve("hdr");
    Written w = write(dir, 3, 1 << 20, 9);
    Files.write(WalFormat.segmentPath(dir, 2), new byte[10]); // a crash while creating segment 2
    ReplayStats stats = WalReplay.replay(dir, false, (pos, p) -> {});
    assertThat(stats.records()).isEqualTo(3);
    assertThat(stats.tornTailTruncatedBytes()).isEqualTo(10);
    assertThat(Files.exists(WalFormat.segmentPath(dir, 2))).isFalse();

    write(dir, 3, 1 << 20, 10); // segment 2 now real
    Path seg1 = WalFormat.segmentPath(dir, 1);
    byte[] b = Files.readAllBytes(seg1);
    b[5] ^= 1; // the version field: the header checksum catches it
    Files.write(seg1, b);
    assertThatThrownBy(() -> replay(dir, false)).isInstanceOfSatisfying(WalCorruptionException.class, e -> {
      assertThat(e.offset()).isZero();
      assertThat(e.getMessage()).contains("header checksum mismatch");
    });
    assertThat(replay(dir, true)).hasSize(3);
    assertThat(w.payloads()).hasSize(3);
  }

  @Test
  void missingSegmentIsCorruption() throws IOException {
    Path dir = tmp.resolve("gap");
    write(dir, 30, 256, 11);
    assertThat(WalFormat.listSegments(dir)).hasSizeGreaterThan(3);
    Files.delete(WalFormat.segmentPath(dir, 2));
    assertThatThrownBy(() -> replay(dir, false)).isInstanceOf(WalCorruptionException.class)
        .hasMessageContaining("segments 2 to 2 are missing");
    assertThat(replay(dir, true)).isNotEmpty();
  }

  @Test
  void emptyOrAbsentDirectoryReplaysNothing() throws IOException {
    ReplayStats stats = WalReplay.replay(tmp.resolve("absent"), false, (pos, p) -> {
      throw new AssertionError("no records expected");
    });
    assertThat(stats.segments()).isZero();
    assertThat(stats.records()).isZero();
  }
}
