package io.lodge.ingester.flush;

import io.lodge.ingester.index.ChunkRef;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Flush metrics: chunks and bytes flushed by reason, the objects they went to, failures, unindexed packs collected or kept,
 * cycle duration.
 */
public final class FlushMetrics {
  private final Counter chunks;
  private final Counter bytes;
  private final Counter entries;
  private final Counter objects;
  private final Counter failures;
  private final Counter unindexedDeleted;
  private final Counter unindexedKept;
  private final Histogram duration;

  public FlushMetrics(PrometheusRegistry registry) {
    chunks = Counter.builder().name("lodge_ingester_chunks_flushed").help("Chunks flushed, by cut reason.")
        .labelNames("reason").register(registry);
    bytes = Counter.builder().name("lodge_ingester_chunk_stored_bytes").help("Compressed chunk bytes flushed.")
        .register(registry);
    entries = Counter.builder().name("lodge_ingester_chunk_entries").help("Entries in flushed chunks.")
        .register(registry);
    objects = Counter.builder().name("lodge_ingester_chunk_objects_written")
        .help("Objects (packs) flushed chunks were written to: one per tenant and flush cycle, more for large cycles.")
        .register(registry);
    failures = Counter.builder().name("lodge_ingester_flush_failures").help("Flush cycles that failed and were retried.")
        .register(registry);
    unindexedDeleted = Counter.builder().name("lodge_ingester_unindexed_packs_deleted")
        .help("Chunk packs deleted because no index entry names them (left by a crash before the index commit or a failed flush).")
        .register(registry);
    unindexedKept = Counter.builder().name("lodge_ingester_unindexed_packs_kept")
        .help("Chunk packs no index entry names that were kept: more than a crash leaves (an index restored without its chunks?); see the error log.")
        .register(registry);
    duration = Histogram.builder().name("lodge_ingester_flush_duration_seconds").help("Duration of flush cycles that wrote chunks.").register(registry);
  }

  void chunkFlushed(String reason, ChunkRef ref) {
    chunks.labelValues(reason).inc();
    bytes.inc(ref.compressedBytes());
    entries.inc(ref.entries());
  }

  void objectsWritten(int n) {
    objects.inc(n);
  }

  void flushFailed() {
    failures.inc();
  }

  void unindexedDeleted(int n) {
    unindexedDeleted.inc(n);
  }

  void unindexedKept(int n) {
    unindexedKept.inc(n);
  }

  void flushDuration(long nanos) {
    duration.observe(nanos / 1e9);
  }
}
