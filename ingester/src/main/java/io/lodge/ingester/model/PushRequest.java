package io.lodge.ingester.model;

import java.util.List;

/** A decoded push request (from HTTP JSON or protobuf, gRPC or OTLP), before validation. */
public record PushRequest(List<PushStream> streams) {
  public PushRequest {
    streams = List.copyOf(streams);
  }

  /** Total number of entries over all streams. */
  public int entryCount() {
    int n = 0;
    for (PushStream s : streams) n += s.entries().size();
    return n;
  }
}
