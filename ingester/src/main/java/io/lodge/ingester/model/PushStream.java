package io.lodge.ingester.model;

import java.util.List;

/** One stream of a push request: its labels and entries in request order. */
public record PushStream(LabelSet labels, List<LogEntry> entries) {
  public PushStream {
    entries = List.copyOf(entries);
  }
}
