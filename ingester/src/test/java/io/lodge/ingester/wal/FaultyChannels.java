package io.lodge.ingester.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link WalChannelFactory} whose channels fail writes, fsyncs and truncations on demand (in the
 * spirit of Lucene's MockDirectoryWrapper), and can hold fsyncs at a gate so tests can pile up appends
 * deterministically while the writer thread is inside {@code force}.
 */
final class FaultyChannels implements WalChannelFactory {
  /** Number of upcoming writes that fail; a failing write first writes half its bytes. */
  final AtomicInteger failWrites = new AtomicInteger();
  final AtomicInteger failForces = new AtomicInteger();
  final AtomicInteger failTruncates = new AtomicInteger();
  final AtomicInteger forces = new AtomicInteger();
  private volatile boolean gated;
  private final Semaphore gate = new Semaphore(0);
  /** Counted down each time a force reaches the closed gate. */
  volatile CountDownLatch atGate = new CountDownLatch(1);

  /** From now on every force waits at the gate until {@link #release()}. */
  void closeGate() {
    gated = true;
  }

  /** Opens the gate for good. */
  void release() {
    gated = false;
    gate.release(Integer.MAX_VALUE / 2);
  }

  @Override
  public FileChannel open(Path path, OpenOption... options) throws IOException {
    return new Channel(FileChannel.open(path, options), path);
  }

  private final class Channel extends FileChannel {
    private final FileChannel d;
    private final Path path;

    Channel(FileChannel d, Path path) {
      this.d = d;
      this.path = path;
    }

    private static boolean take(AtomicInteger counter) {
      return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      if (take(failWrites)) {
        int half = src.remaining() / 2;
        if (half > 0) {
          ByteBuffer part = src.slice(src.position(), half);
          d.write(part, position);
        }
        throw new IOException("injected write failure (No space left on device) on " + path);
      }
      return d.write(src, position);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      forces.incrementAndGet();
      if (gated) {
        atGate.countDown();
        gate.acquireUninterruptibly();
        gate.release();
      }
      if (take(failForces)) throw new IOException("injected fsync failure (Input/output error) on " + path);
      d.force(metaData);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      if (take(failTruncates)) throw new IOException("injected truncate failure on " + path);
      d.truncate(size);
      return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return d.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return d.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      throw new UnsupportedOperationException("the WAL writes at explicit positions");
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      throw new UnsupportedOperationException("the WAL writes at explicit positions");
    }

    @Override
    public long position() throws IOException {
      return d.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      d.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return d.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      return d.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
      return d.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return d.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return d.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return d.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return d.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      d.close();
    }
  }
}
