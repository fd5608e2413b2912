package io.lodge.querier.pipeline;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.EntryIterator;
import java.util.HashMap;
import java.util.Map;

/**
 * The entries of a reader's iterator after a pipeline: entries a stage drops are skipped, the others
 * are exposed with their rewritten line and labels by category. One {@link StreamPipeline} is kept per
 * stream. This is how the metric engine (and the log executor) feed stored entries through a query's
 * pipeline. Not thread-safe; closing it closes the underlying iterator.
 */
public final class PipelineIterator implements AutoCloseable {
  private final EntryIterator entries;
  private final Pipeline pipeline;
  private final Map<LabelSet, StreamPipeline> perStream = new HashMap<>();
  private PipelineResult current;
  private long timestampNanos;
  private long linesRead;
  private long bytesRead;

  public PipelineIterator(EntryIterator entries, Pipeline pipeline) {
    this.entries = entries;
    this.pipeline = pipeline;
  }

  /** Advances to the next entry the pipeline keeps; false at the end. */
  public boolean next() {
    while (entries.next()) {
      byte[] line = entries.line();
      linesRead++;
      bytesRead += line.length;
      StreamPipeline sp = perStream.computeIfAbsent(entries.labels(), pipeline::forStream);
      PipelineResult r = sp.process(entries.timestampNanos(), line, entries.metadata());
      if (r != null) {
        current = r;
        timestampNanos = entries.timestampNanos();
        return true;
      }
    }
    current = null;
    return false;
  }

  public long timestampNanos() {
    return timestampNanos;
  }

  /**
   * The current entry after the pipeline. Its line may be the reader's own buffer: copy it to keep it
   * past the next call.
   */
  public PipelineResult result() {
    return current;
  }

  /** Entries read from the store so far, kept or not (for query statistics). */
  public long linesRead() {
    return linesRead;
  }

  /** Line bytes read from the store so far. */
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() {
    entries.close();
  }
}
