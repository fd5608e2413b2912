package io.lodge.ingester.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} on a local filesystem. Object {@code a/b/c} is the file
 * {@code <root>/objects/a/b/c}. A put writes {@code <root>/tmp/<unique>}, fsyncs it, renames it into
 * place atomically, then fsyncs the target directory (and any directory it had to create, in its
 * parent), so the object is whole and durable when put returns. Keeping temporary files in their own
 * directory leaves the whole key space to callers and keeps in-flight puts out of {@link #list}.
 * Opening the store deletes temporary files left by a crash; one process owns a root at a time.
 * Directories emptied by deletes are left in place (cheap, and removing them would race with puts).
 * Unlike S3, a key cannot also be a directory of other keys ({@code a/b} and {@code a/b/c}): such a
 * put fails with an {@link IOException}; Lodge's key layouts never do this.
 */
public final class FsObjectStore implements ObjectStore {
  /**
   * The most one read or write call moves. The JDK copies a heap buffer through a temporary direct buffer
   * of its size and keeps it per thread: an 8 MiB pack written in one call (or as many buffers, one
   * gathering call) left that much native memory on every chunk-writer thread (RSS 580 -> 935 MB at full
   * ingest rate); slices keep it at one slice per thread.
   */
  private static final int IO_SLICE = 256 << 10;
  private final Path objects;
  private final Path tmp;
  private final AtomicLong seq = new AtomicLong();
  private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();

  public FsObjectStore(Path root) throws IOException {
    Path r = root.toAbsolutePath().normalize();
    this.objects = r.resolve("objects");
    this.tmp = r.resolve("tmp");
    Files.createDirectories(objects);
    Files.createDirectories(tmp);
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
      for (Path p : leftovers) Files.deleteIfExists(p);
    }
    fsyncDir(r);
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    put(key, List.of(data));
  }

  @Override
  public void put(String key, List<byte[]> parts) throws IOException {
    Path target = path(key);
    Path t = tmp.resolve(ProcessHandle.current().pid() + "-" + seq.incrementAndGet() + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (byte[] part : parts) {
          for (int off = 0; off < part.length; ) {
            off += ch.write(ByteBuffer.wrap(part, off, Math.min(IO_SLICE, part.length - off)));
          }
        }
        ch.force(true);
      }
      Path dir = target.getParent();
      createDirsDurably(dir);
      try {
        Files.move(t, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        moved = true;
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("filesystem under " + objects + " cannot rename atomically", e);
      }
      fsyncDir(dir);
    } finally {
      // only after a failure: an unlink per put that finds nothing costs a path lookup in a busy directory
      if (!moved) Files.deleteIfExists(t);
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    return read(key, 0, -1);
  }

  @Override
  public byte[] get(String key, long offset, int length) throws IOException {
    ObjectStore.checkRange(key, offset, length);
    return read(key, offset, length);
  }

  /** {@code length} bytes from {@code offset}, or with a negative length all of the object. */
  private byte[] read(String key, long offset, int length) throws IOException {
    Path p = path(key);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      if (length < 0) length = Math.toIntExact(size);
      if (offset + length > size) throw ObjectStore.pastTheEnd(key, offset, length, size);
      byte[] out = new byte[length];
      for (int at = 0; at < length; ) {
        int n = ch.read(ByteBuffer.wrap(out, at, Math.min(IO_SLICE, length - at)), offset + at);
        if (n < 0) throw ObjectStore.pastTheEnd(key, offset, length, offset + at);
        at += n;
      }
      return out;
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(key);
    } catch (IOException e) {
      if (Files.isDirectory(p)) throw new NoSuchObjectException(key); // a key prefix, not an object
      throw e;
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    if (prefix.startsWith("/") || prefix.contains("\\") || prefix.contains("\0")) {
      throw new IllegalArgumentException("bad list prefix: " + prefix);
    }
    // walk only below the deepest directory the prefix names
    int slash = prefix.lastIndexOf('/');
    Path start = objects;
    if (slash > 0) {
      String dir = prefix.substring(0, slash);
      for (String seg : dir.split("/", -1)) {
        if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) return List.of();
      }
      start = objects.resolve(dir);
    }
    if (!Files.isDirectory(start)) return List.of();
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(start)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        String k = keyOf(p);
        if (k.startsWith(prefix)) out.add(k);
      });
    } catch (java.io.UncheckedIOException e) {
      if (!(e.getCause() instanceof NoSuchFileException)) throw e.getCause(); // a concurrent delete is fine
    }
    out.sort(null);
    return out;
  }

  @Override
  public List<String> children(String prefix) throws IOException {
    ObjectStore.checkPrefix(prefix);
    Path dir = prefix.isEmpty() ? objects : path(prefix.substring(0, prefix.length() - 1));
    if (!Files.isDirectory(dir)) return List.of(); // no key below it, or an object's key
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) out.add(p.getFileName().toString());
    }
    out.sort(null);
    return out;
  }

  @Override
  public void delete(String key) throws IOException {
    Path p = path(key);
    if (Files.isDirectory(p)) return; // a prefix of other keys, not an object
    if (Files.deleteIfExists(p)) fsyncDir(p.getParent());
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(path(key));
  }

  private Path path(String key) {
    ObjectStore.checkKey(key);
    Path p = objects.resolve(key).normalize();
    if (!p.startsWith(objects)) throw new IllegalArgumentException("object key escapes the store: " + key);
    return p;
  }

  private String keyOf(Path p) {
    Path rel = objects.relativize(p);
    StringBuilder sb = new StringBuilder();
    for (Path seg : rel) {
      if (sb.length() > 0) sb.append('/');
      sb.append(seg);
    }
    return sb.toString();
  }

  /**
   * Makes sure {@code dir} exists and its entry (and its ancestors') is durable. A directory that merely
   * exists may have been created by a concurrent put that has not fsynced its parent yet, so only
   * directories this store made durable itself are trusted; the rest go through the lock once.
   */
  private void createDirsDurably(Path dir) throws IOException {
    if (durableDirs.contains(dir)) return;
    synchronized (durableDirs) {
      createChain(dir);
    }
  }

  private void createChain(Path dir) throws IOException {
    if (dir.equals(objects) || durableDirs.contains(dir)) return;
    createChain(dir.getParent());
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new IOException("cannot create " + dir + ": an object's key is a prefix of the new key", e);
      }
    }
    fsyncDir(dir.getParent());
    durableDirs.add(dir);
  }

  private static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
