package io.lodge.ingester.model;

import java.util.List;
import java.util.Objects;

/** One stream of a push request: its labels and entries in request order. */
public record PushStream(LabelSet labels, EntryBatch entries) {
  public PushStream {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(entries, "entries");
  }

  /** A stream of {@code entries} (copied into a batch unless they are one). */
  public PushStream(LabelSet labels, List<LogEntry> entries) {
    this(labels, EntryBatch.copyOf(entries));
  }
}
