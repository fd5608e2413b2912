package io.lodge.ingester.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Disk full and I/O errors injected through {@link FaultyChannels}: failed appends never replay, good ones always do. */
class WalWriteFailureTest {
  @TempDir Path dir;
  final WalMetrics metrics = new WalMetrics(new PrometheusRegistry());
  final FaultyChannels channels = new FaultyChannels();

  @Test
  void failedWriteFailsTheAppendAndLaterAppendsSucceedInANewSegment() throws Exception {
    List<byte[]> acked = new ArrayList<>();
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1 << 20), metrics, channels)) {
      for (int i = 0; i < 3; i++) acked.add(append(w, i));
      long segmentBefore = w.currentSegmentId();

      channels.failWrites.set(1); // half the frame reaches the file, then "No space left on device"
      Throwable e = failure(w.append(new byte[] {9, 9, 9, 9}, Function.identity()));
      assertThat(e).isInstanceOf(WalWriteException.class)
          .hasMessageContaining(WalFormat.segmentPath(dir, segmentBefore).toString())
          .hasMessageContaining("No space left on device");
      assertThat(((WalWriteException) e).reason()).isEqualTo(WalWriteException.Reason.IO_ERROR);
      assertThat(metrics.writeFailures()).isEqualTo(1);
      // The failed frame is cut off again, and the next segment already exists (its header records the cut).
      long cut = WalFormat.HEADER_SIZE + 3L * (WalFormat.FRAME_HEADER_SIZE + 5);
      assertThat(Files.size(WalFormat.segmentPath(dir, segmentBefore))).isEqualTo(cut);
      assertThat(w.currentSegmentId()).isEqualTo(segmentBefore + 1);
      assertThat(w.totalBytes()).isEqualTo(cut + WalFormat.HEADER_SIZE);

      acked.add(append(w, 3));
      assertThat(w.currentSegmentId()).isEqualTo(segmentBefore + 1);

      channels.failForces.set(1); // the frame is written whole, but the fsync fails
      assertThat(failure(w.append(new byte[] {8}, Function.identity()))).hasMessageContaining("Input/output error");
      acked.add(append(w, 4));
    }
    assertThat(WalWriterTest.replayAll(dir)).containsExactlyElementsOf(acked);
  }

  @Test
  void failedTruncationIsCutByReplayThroughTheNextSegmentHeader() throws Exception {
    List<byte[]> acked = new ArrayList<>();
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1 << 20), metrics, channels)) {
      acked.add(append(w, 0));
      channels.failForces.set(1);
      channels.failTruncates.set(2); // the truncate and its retry both fail: a whole valid frame stays behind
      failure(w.append(new byte[] {7, 7, 7}, Function.identity()));
      acked.add(append(w, 1));
    }
    long leftover = Files.size(WalFormat.segmentPath(dir, 1));
    ReplayStats stats = WalReplay.replay(dir, false, (pos, p) -> {});
    assertThat(stats.records()).isEqualTo(2);
    assertThat(stats.tornTailTruncatedBytes()).isEqualTo(WalFormat.FRAME_HEADER_SIZE + 3);
    assertThat(Files.size(WalFormat.segmentPath(dir, 1))).isEqualTo(leftover - WalFormat.FRAME_HEADER_SIZE - 3);
    assertThat(WalWriterTest.replayAll(dir)).containsExactlyElementsOf(acked);
  }

  /** Random faults in every operation, sequential appends: replay returns exactly the acknowledged records. */
  @ParameterizedTest
  @ValueSource(longs = {42, 14, 1})
  void randomFaultsNeverLoseOrResurrectRecords(long seed) throws Exception {
    Random r = new Random(seed);
    List<byte[]> acked = new ArrayList<>();
    int failed = 0;
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 700), metrics, channels)) {
      for (int i = 0; i < 300; i++) {
        switch (r.nextInt(12)) {
          case 0 -> channels.failWrites.set(1);
          case 1 -> channels.failForces.set(1);
          case 2 -> {
            channels.failForces.set(1);
            channels.failTruncates.set(1 + r.nextInt(2));
          }
          default -> { }
        }
        byte[] p = new byte[1 + r.nextInt(120)];
        r.nextBytes(p);
        CompletableFuture<WalPosition> f = w.append(p, Function.identity());
        try {
          f.join();
          acked.add(p);
        } catch (CompletionException e) {
          assertThat(e.getCause()).isInstanceOf(WalWriteException.class);
          failed++;
        }
        channels.failWrites.set(0);
        channels.failForces.set(0);
        channels.failTruncates.set(0);
      }
    }
    assertThat(failed).isGreaterThan(10);
    assertThat(acked).hasSizeGreaterThan(200);
    assertThat(WalWriterTest.replayAll(dir)).containsExactlyElementsOf(acked);
  }

  /** Appends a small distinct record and returns it once acknowledged. */
  private static byte[] append(WalWriter w, int i) {
    byte[] p = {(byte) i, 1, 2, 3, (byte) (i * 7)};
    w.append(p, Function.identity()).join();
    return p;
  }

  private static Throwable failure(CompletableFuture<?> f) {
    return WalWriterTest.catchCause(f);
  }
}
