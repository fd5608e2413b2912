package io.lodge.ingester.wal;

import java.io.IOException;
import java.nio.file.Path;

/** Replay found damaged data it may not cut off silently: names the file, the offset and what was wrong. */
public class WalCorruptionException extends IOException {
  private final Path path;
  private final long offset;

  public WalCorruptionException(Path path, long offset, String what) {
    super("corrupt WAL segment " + path + " at offset " + offset + ": " + what);
    this.path = path;
    this.offset = offset;
  }

  public Path path() {
    return path;
  }

  public long offset() {
    return offset;
  }
}
