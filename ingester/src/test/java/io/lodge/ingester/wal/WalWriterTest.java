package io.lodge.ingester.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalWriterTest {
  @TempDir Path dir;
  final WalMetrics metrics = new WalMetrics(new PrometheusRegistry());

  static byte[] payload(Random r, int i) {
    byte[] b = new byte[1 + r.nextInt(300)];
    r.nextBytes(b);
    b[0] = (byte) i;
    return b;
  }

  /** Replays dir and returns the payloads in order. */
  static List<byte[]> replayAll(Path dir) throws IOException {
    List<byte[]> out = new ArrayList<>();
    WalReplay.replay(dir, false, (pos, p) -> out.add(p));
    return out;
  }

  @Test
  void roundTripAcrossSegmentsInOrder() throws Exception {
    Random r = new Random(1);
    List<byte[]> written = new ArrayList<>();
    List<WalPosition> positions = new ArrayList<>();
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 2048), metrics)) {
      for (int i = 0; i < 200; i++) {
        byte[] p = payload(r, i);
        written.add(p);
        positions.add(w.append(p, Function.identity()).join());
      }
      assertThat(w.segmentIds().size()).isGreaterThan(5);
      assertThat(metrics.segmentsGauge()).isEqualTo(w.segmentIds().size());
    }
    List<byte[]> read = new ArrayList<>();
    List<WalPosition> readPositions = new ArrayList<>();
    ReplayStats stats = WalReplay.replay(dir, false, (pos, p) -> {
      read.add(p);
      readPositions.add(pos);
    });
    assertThat(read).containsExactlyElementsOf(written);
    assertThat(readPositions).containsExactlyElementsOf(positions);
    assertThat(stats.records()).isEqualTo(200);
    assertThat(stats.bytes()).isEqualTo(written.stream().mapToLong(b -> b.length).sum());
    assertThat(stats.tornTailTruncatedBytes()).isZero();
    for (long id : WalFormat.listSegments(dir).keySet()) {
      assertThat(Files.size(WalFormat.segmentPath(dir, id))).isLessThanOrEqualTo(2048);
    }
  }

  @Test
  void concurrentPushesShareOneFsync() throws Exception {
    FaultyChannels ch = new FaultyChannels();
    int n = 64;
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1 << 20), metrics, ch)) {
      ch.closeGate();
      CompletableFuture<WalPosition> first = w.append(new byte[] {1}, Function.identity());
      ch.atGate.await(10, TimeUnit.SECONDS); // the writer thread now sits inside the first fsync
      List<CompletableFuture<WalPosition>> rest = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < n; i++) {
        int k = i;
        pool.execute(() -> rest.add(w.append(new byte[] {(byte) k, 2, 3}, Function.identity())));
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      ch.release();
      first.join();
      rest.forEach(CompletableFuture::join);
      assertThat(metrics.recordsWritten()).isEqualTo(n + 1);
      assertThat(metrics.fsyncCount()).isEqualTo(2); // the first record alone, then all 64 together
      assertThat(metrics.commitCount()).isEqualTo(2);
    }
    assertThat(replayAll(dir)).hasSize(n + 1);
  }

  @Test
  void onDurableRunsInWalOrderUnderConcurrency() throws Exception {
    List<WalPosition> callbackOrder = new ArrayList<>(); // touched only by the writer thread
    List<CompletableFuture<WalPosition>> futures = Collections.synchronizedList(new ArrayList<>());
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 4096), metrics)) {
      ExecutorService pool = Executors.newFixedThreadPool(6);
      for (int t = 0; t < 6; t++) {
        int thread = t;
        pool.execute(() -> {
          Random r = new Random(thread);
          for (int i = 0; i < 100; i++) {
            futures.add(w.append(payload(r, i), pos -> {
              callbackOrder.add(pos);
              return pos;
            }));
          }
        });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      futures.forEach(CompletableFuture::join);
      assertThat(metrics.fsyncCount()).isLessThanOrEqualTo(600);
    }
    assertThat(callbackOrder).hasSize(600).isSorted().doesNotHaveDuplicates();
    List<WalPosition> replayOrder = new ArrayList<>();
    WalReplay.replay(dir, false, (pos, p) -> replayOrder.add(pos));
    assertThat(replayOrder).containsExactlyElementsOf(callbackOrder);
  }

  @Test
  void onDurableFailureFailsOnlyItsFutureAndTheRecordStaysDurable() throws Exception {
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1 << 20), metrics)) {
      CompletableFuture<Object> bad = w.append(new byte[] {1}, pos -> {
        throw new IllegalStateException("head refused");
      });
      assertThatThrownBy(bad::join).hasCauseInstanceOf(IllegalStateException.class);
      assertThat(w.append(new byte[] {2}, pos -> "ok").join()).isEqualTo("ok");
    }
    assertThat(replayAll(dir)).containsExactly(new byte[] {1}, new byte[] {2});
  }

  @Test
  void backlogFullFailsFastAndRecovers() throws Exception {
    FaultyChannels ch = new FaultyChannels();
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1 << 20, 1000), metrics, ch)) {
      ch.closeGate();
      CompletableFuture<WalPosition> a = w.append(new byte[300], Function.identity());
      ch.atGate.await(10, TimeUnit.SECONDS);
      CompletableFuture<WalPosition> b = w.append(new byte[300], Function.identity());
      CompletableFuture<WalPosition> c = w.append(new byte[300], Function.identity());
      CompletableFuture<WalPosition> d = w.append(new byte[300], Function.identity());
      assertThat(d).isCompletedExceptionally();
      assertThatThrownBy(d::join).cause().isInstanceOf(WalWriteException.class)
          .hasMessageContaining("WAL backlog full").hasMessageContaining("1000");
      assertThat(((WalWriteException) catchCause(d)).reason()).isEqualTo(WalWriteException.Reason.BACKLOG_FULL);
      ch.release();
      CompletableFuture.allOf(a, b, c).join();
      w.append(new byte[300], Function.identity()).join();
    }
    assertThat(replayAll(dir)).hasSize(4);
  }

  @Test
  void recordLargerThanASegmentGetsItsOwnSegment() throws Exception {
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 256), metrics)) {
      WalPosition small = w.append(new byte[10], Function.identity()).join();
      WalPosition big = w.append(new byte[5000], Function.identity()).join();
      WalPosition after = w.append(new byte[10], Function.identity()).join();
      assertThat(big.segmentId()).isEqualTo(small.segmentId() + 1);
      assertThat(big.offset()).isEqualTo(WalFormat.HEADER_SIZE);
      assertThat(after.segmentId()).isEqualTo(big.segmentId() + 1);
    }
    assertThat(replayAll(dir)).extracting(b -> b.length).containsExactly(10, 5000, 10);
  }

  @Test
  void aPooledRecordWritesOnlyItsLengthAndItsArrayIsRecycledOnceDurable() throws Exception {
    Random r = new Random(7);
    List<byte[]> written = new ArrayList<>();
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1 << 20), metrics)) {
      for (int i = 0; i < 20; i++) {
        byte[] array = RecordBuffers.take(100_000 + i);
        r.nextBytes(array); // the tail past the record's length is garbage and must not be written
        int length = 100_000 + i;
        written.add(java.util.Arrays.copyOf(array, length));
        boolean[] recycledBeforeDurable = new boolean[1];
        w.append(new EncodedRecord(array, length, true), pos -> {
          recycledBeforeDurable[0] = RecordBuffers.isPooled(array);
          return pos;
        }).join();
        assertThat(recycledBeforeDurable[0]).as("given back once written and synced").isTrue();
      }
    }
    assertThat(replayAll(dir)).containsExactlyElementsOf(written);
  }

  @Test
  void aPooledRecordRefusedByAClosedWriterGoesBackToThePool() throws Exception {
    WalWriter w = new WalWriter(dir, new WalOptions(false, 1 << 20), metrics);
    w.close();
    byte[] array = RecordBuffers.take(70_000);
    CompletableFuture<WalPosition> late = w.append(new EncodedRecord(array, 10, true), Function.identity());
    assertThat(((WalWriteException) catchCause(late)).reason()).isEqualTo(WalWriteException.Reason.CLOSED);
    assertThat(RecordBuffers.isPooled(array)).isTrue();
  }

  @Test
  void closeDrainsPendingAndLaterAppendsFailFast() throws Exception {
    List<CompletableFuture<WalPosition>> futures = new ArrayList<>();
    WalWriter w = new WalWriter(dir, new WalOptions(false, 1 << 20), metrics);
    for (int i = 0; i < 500; i++) futures.add(w.append(new byte[] {(byte) i}, Function.identity()));
    w.close();
    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    CompletableFuture<WalPosition> late = w.append(new byte[] {1}, Function.identity());
    assertThat(((WalWriteException) catchCause(late)).reason()).isEqualTo(WalWriteException.Reason.CLOSED);
    assertThat(metrics.fsyncCount()).isZero(); // sync off: no fsync per group
    assertThat(replayAll(dir)).hasSize(500);
  }

  @Test
  void reopenedWriterStartsANewSegment() throws Exception {
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1 << 20), metrics)) {
      w.append(new byte[] {1}, Function.identity()).join();
      assertThat(w.currentSegmentId()).isEqualTo(1);
    }
    replayAll(dir);
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1 << 20), metrics)) {
      assertThat(w.currentSegmentId()).isEqualTo(2);
      assertThat(w.append(new byte[] {2}, Function.identity()).join()).isEqualTo(new WalPosition(2, WalFormat.HEADER_SIZE));
    }
    assertThat(replayAll(dir)).containsExactly(new byte[] {1}, new byte[] {2});
  }

  @Test
  void deleteSegmentsBelowNeverDeletesTheCurrentOne() throws Exception {
    Random r = new Random(3);
    List<WalPosition> positions = new ArrayList<>();
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1024), metrics)) {
      for (int i = 0; i < 60; i++) positions.add(w.append(payload(r, i), Function.identity()).join());
      long current = w.currentSegmentId();
      assertThat(w.segmentIds()).containsExactlyElementsOf(WalFormat.listSegments(dir).keySet());
      assertThat(w.totalBytes()).isEqualTo(sizeOfDir());
      long keepFrom = current - 2;
      w.deleteSegmentsBelow(keepFrom);
      assertThat(w.segmentIds()).containsExactly(keepFrom, keepFrom + 1, current);
      assertThat(WalFormat.listSegments(dir).keySet()).containsExactly(keepFrom, keepFrom + 1, current);
      assertThat(w.totalBytes()).isEqualTo(sizeOfDir());
      w.deleteSegmentsBelow(Long.MAX_VALUE);
      assertThat(w.segmentIds()).containsExactly(current);
      assertThat(metrics.segmentsGauge()).isEqualTo(1);
      w.append(new byte[] {7}, Function.identity()).join();
    }
    long expected = positions.stream().filter(p -> p.segmentId() == positions.getLast().segmentId()).count() + 1;
    assertThat(replayAll(dir)).hasSize((int) expected);
  }

  @Test
  void rollSegmentLetsACheckpointDeleteEverythingAcknowledgedBefore() throws Exception {
    try (WalWriter w = new WalWriter(dir, new WalOptions(true, 1 << 20), metrics)) {
      long first = w.currentSegmentId();
      assertThat(w.rollSegment().join()).isEqualTo(first); // nothing in it yet: no new segment
      CompletableFuture<WalPosition> a = w.append(new byte[] {1}, Function.identity());
      CompletableFuture<Long> rolled = w.rollSegment();
      CompletableFuture<WalPosition> b = w.append(new byte[] {2}, Function.identity());
      long next = rolled.join();
      assertThat(next).isEqualTo(first + 1).isEqualTo(w.currentSegmentId());
      assertThat(a.join().segmentId()).isLessThan(next);
      assertThat(b.join().segmentId()).isEqualTo(next);
      w.deleteSegmentsBelow(next);
      assertThat(w.segmentIds()).containsExactly(next);
    }
    assertThat(replayAll(dir)).containsExactly(new byte[] {2});
  }

  private long sizeOfDir() throws IOException {
    long n = 0;
    for (Path p : WalFormat.listSegments(dir).values()) n += Files.size(p);
    return n;
  }

  static Throwable catchCause(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("future did not fail");
  }
}
