package io.lodge.ingester.head;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import java.util.ArrayList;
import java.util.List;

/** What applying one WAL record to the head did, stream by stream: accepted, duplicates, refused. */
public final class ApplyResult {
  private final List<Stream> streams = new ArrayList<>();

  Stream stream(LabelSet labels) {
    Stream s = new Stream(labels);
    streams.add(s);
    return s;
  }

  public List<Stream> streams() {
    return streams;
  }

  public long acceptedEntries() {
    long n = 0;
    for (Stream s : streams) n += s.accepted;
    return n;
  }

  /** One stream's outcome. */
  public static final class Stream {
    private final LabelSet labels;
    private int accepted;
    private long acceptedBytes;
    private int duplicates;
    private long duplicateBytes;
    private final List<Refusal> tooFarBehind = new ArrayList<>();
    private int total;

    Stream(LabelSet labels) {
      this.labels = labels;
    }

    /** {@code bytes}: the entry's {@link LogEntry#sizeBytes()}, which the caller already knows. */
    void accepted(long bytes) {
      accepted++;
      acceptedBytes += bytes;
      total++;
    }

    /** {@code bytes}: as for {@link #accepted}. */
    void duplicate(long bytes) {
      duplicates++;
      duplicateBytes += bytes;
      total++;
    }

    /** {@code bytes}: as for {@link #accepted}. */
    void tooFarBehind(long timestampNanos, long oldestAcceptableNanos, long bytes) {
      tooFarBehind.add(new Refusal(timestampNanos, oldestAcceptableNanos, bytes));
      total++;
    }

    public LabelSet labels() {
      return labels;
    }

    public int accepted() {
      return accepted;
    }

    public long acceptedBytes() {
      return acceptedBytes;
    }

    public int duplicates() {
      return duplicates;
    }

    public long duplicateBytes() {
      return duplicateBytes;
    }

    public List<Refusal> tooFarBehind() {
      return tooFarBehind;
    }

    public int total() {
      return total;
    }
  }

  /** An entry refused as too far behind: its timestamp and the oldest acceptable one, in ns. */
  public record Refusal(long timestampNanos, long oldestAcceptableNanos, long bytes) {}
}
