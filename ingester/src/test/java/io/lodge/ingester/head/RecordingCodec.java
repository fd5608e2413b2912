package io.lodge.ingester.head;

import io.lodge.ingester.chunk.ChunkBlockCodec;
import io.lodge.ingester.model.LabelSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real codec for tests of who compresses head blocks in what order: records each block it compresses
 * as {@code app/pod/first timestamp / 100}; its affinity is the {@code app} label (a line dictionary per app).
 */
final class RecordingCodec implements BlockCodec {
  final ChunkBlockCodec real = new ChunkBlockCodec(3);
  final List<String> sealed = new CopyOnWriteArrayList<>();
  final CountDownLatch firstSealStarted = new CountDownLatch(1);
  // when set, seals on the sealing threads wait for it; a caller sealing inline never does, so a test
  // can hold the thread busy and still see the caller's inline seal finish before it opens the gate
  volatile CountDownLatch gate;
  volatile Error failWith; // when set, the next seal throws it (once)

  @Override
  public SealedBlock encode(String tenant, LabelSet labels, BlockColumns columns) {
    firstSealStarted.countDown();
    Error fail = failWith;
    if (fail != null) {
      failWith = null;
      throw fail;
    }
    CountDownLatch g = gate;
    if (g != null && Thread.currentThread().getName().startsWith("lodge-sealer-")) {
      try {
        g.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sealed.add(labels.get("app") + "/" + labels.get("pod") + "/" + columns.timestamps()[0] / 100);
    return real.encode(tenant, labels, columns);
  }

  @Override
  public EntrySnapshot decode(SealedBlock block) {
    return real.decode(block);
  }

  @Override
  public long affinity(String tenant, LabelSet labels) {
    return labels.get("app").hashCode();
  }

  /** The app of each compressed block, in order. */
  List<String> apps() {
    return sealed.stream().map(s -> s.substring(0, s.indexOf('/'))).toList();
  }
}
