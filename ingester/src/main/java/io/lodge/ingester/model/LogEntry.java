package io.lodge.ingester.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One log entry of a push: a timestamp in Unix nanoseconds, the line as UTF-8 bytes and its
 * structured metadata (empty list when none). The line array is owned by the entry; never mutate it.
 */
public record LogEntry(long timestampNanos, byte[] line, List<Label> metadata) {
  public LogEntry {
    Objects.requireNonNull(line, "line");
    metadata = metadata == null ? List.of() : metadata;
  }

  /** Convenience for tests and decoders that hold the line as a string. */
  public static LogEntry of(long timestampNanos, String line, List<Label> metadata) {
    return new LogEntry(timestampNanos, line.getBytes(StandardCharsets.UTF_8), metadata);
  }

  public static LogEntry of(long timestampNanos, String line) {
    return of(timestampNanos, line, List.of());
  }

  /** The line decoded as UTF-8. */
  public String lineString() {
    return new String(line, StandardCharsets.UTF_8);
  }

  /** Bytes counted against size and rate limits: the line plus metadata names and values. */
  public long sizeBytes() {
    return line.length + metadataBytes(metadata);
  }

  /** The UTF-8 bytes of the names and values of {@code metadata}. */
  public static long metadataBytes(List<Label> metadata) {
    long n = 0;
    for (int i = 0, size = metadata.size(); i < size; i++) {
      Label l = metadata.get(i);
      n += utf8Length(l.name()) + utf8Length(l.value());
    }
    return n;
  }

  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n++;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry e && e.timestampNanos == timestampNanos
        && java.util.Arrays.equals(e.line, line) && e.metadata.equals(metadata);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timestampNanos) * 31 + java.util.Arrays.hashCode(line);
  }

  @Override
  public String toString() {
    return timestampNanos + " " + lineString() + (metadata.isEmpty() ? "" : " " + metadata);
  }
}
