package io.lodge.querier.pipeline;

/**
 * One compiled pipeline stage. Implementations are immutable and thread-safe: per-entry state lives in
 * the {@link LabelsBuilder} passed in.
 */
public interface StageProcessor {
  /**
   * Processes one entry: returns the line to pass on (the same array, or a new one when the stage
   * rewrites it), or null to drop the entry. The input array must not be modified.
   */
  byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels);
}
