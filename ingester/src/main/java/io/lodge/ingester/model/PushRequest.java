package io.lodge.ingester.model;

import java.util.List;

/**
 * A decoded push request (from HTTP JSON or protobuf, gRPC or OTLP), before validation. A snappy protobuf
 * push also carries its compressed body ({@code source}, else null) for the WAL; requests compare by their
 * streams alone.
 */
public record PushRequest(List<PushStream> streams, PushSource source) {
  public PushRequest {
    streams = List.copyOf(streams);
  }

  /** A request without a body to keep. */
  public PushRequest(List<PushStream> streams) {
    this(streams, null);
  }

  /** The same streams, keeping {@code body}. */
  public PushRequest withSource(PushSource body) {
    return new PushRequest(streams, body);
  }

  /** Total number of entries over all streams. */
  public int entryCount() {
    int n = 0;
    for (PushStream s : streams) n += s.entries().size();
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PushRequest r && r.streams.equals(streams);
  }

  @Override
  public int hashCode() {
    return streams.hashCode();
  }

  @Override
  public String toString() {
    return "PushRequest[streams=" + streams + "]";
  }
}
