package io.lodge.ingester.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one segment file a {@link WalWriter} appends to: positional writes at its end, fsync, and
 * truncation back to the last good length after a failed write. Used only by the writer thread.
 */
final class WalSegment implements AutoCloseable {
  final long id;
  final Path path;
  private final FileChannel channel;
  private long end;

  private WalSegment(long id, Path path, FileChannel channel, long end) {
    this.id = id;
    this.path = path;
    this.channel = channel;
    this.end = end;
  }

  /**
   * Creates (or overwrites a leftover of a failed creation) segment {@code id} and writes its header;
   * with {@code sync} the header and the directory entry are fsynced before this returns, so a crash
   * can never leave a later segment whose name is durable but whose header is not.
   */
  static WalSegment create(WalChannelFactory channels, Path dir, long id, long previousLength, boolean sync)
      throws IOException {
    Path path = WalFormat.segmentPath(dir, id);
    FileChannel ch = channels.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE, StandardOpenOption.READ);
    try {
      WalSegment s = new WalSegment(id, path, ch, 0);
      s.write(WalFormat.encodeHeader(id, previousLength));
      if (sync) {
        ch.force(false);
        syncDirectory(dir);
      }
      return s;
    } catch (IOException | RuntimeException e) {
      try {
        ch.close();
      } catch (IOException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }

  /** Makes a directory's entries (created or deleted files) durable. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** Bytes written so far (header included); the offset the next frame gets. */
  long end() {
    return end;
  }

  /** Writes all of {@code src} at the end of the segment. */
  void write(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      int n = channel.write(src, end);
      end += n;
    }
  }

  void force() throws IOException {
    channel.force(false);
  }

  /** Cuts the file back to {@code length} and makes the cut durable. */
  void truncate(long length) throws IOException {
    end = length;
    channel.truncate(length);
    channel.force(false);
  }

  /** Cuts a closed segment file back to {@code length} (retry after a failed {@link #truncate}). */
  static void truncateFile(WalChannelFactory channels, Path path, long length) throws IOException {
    if (!Files.exists(path)) return;
    try (FileChannel ch = channels.open(path, StandardOpenOption.WRITE)) {
      if (ch.size() > length) {
        ch.truncate(length);
        ch.force(false);
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
