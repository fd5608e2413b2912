package io.lodge.ingester.testing;

import io.lodge.ingester.store.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/** A real {@link ObjectStore} whose puts or deletes of chosen keys fail, for tests of failure paths. */
public final class FaultyObjectStore implements ObjectStore {
  /** Whether a failing put fails before it writes (a full disk) or after its object is in place (a lost fsync). */
  public enum When { BEFORE, AFTER }

  private final ObjectStore real;
  private volatile Predicate<String> failPut = key -> false;
  private volatile When putFails = When.BEFORE;
  private volatile Predicate<String> failDelete = key -> false;

  public FaultyObjectStore(ObjectStore real) {
    this.real = real;
  }

  /** Makes puts of the keys {@code keys} accepts (asked at each put) fail {@code when}. */
  public FaultyObjectStore failPuts(When when, Predicate<String> keys) {
    this.putFails = when;
    this.failPut = keys;
    return this;
  }

  /** Makes deletes of the keys {@code keys} accepts fail, deleting nothing. */
  public FaultyObjectStore failDeletes(Predicate<String> keys) {
    this.failDelete = keys;
    return this;
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    put(key, List.of(data));
  }

  @Override
  public void put(String key, List<byte[]> parts) throws IOException {
    boolean fail = failPut.test(key);
    if (fail && putFails == When.BEFORE) throw new IOException("no space left on device (test)");
    real.put(key, parts);
    if (fail) throw new IOException("directory fsync failed (test)");
  }

  @Override
  public byte[] get(String key) throws IOException {
    return real.get(key);
  }

  @Override
  public byte[] get(String key, long offset, int length) throws IOException {
    return real.get(key, offset, length);
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    return real.list(prefix);
  }

  @Override
  public List<String> children(String prefix) throws IOException {
    return real.children(prefix);
  }

  @Override
  public void delete(String key) throws IOException {
    if (failDelete.test(key)) throw new IOException("disk gone (test)");
    real.delete(key);
  }

  @Override
  public boolean exists(String key) throws IOException {
    return real.exists(key);
  }
}
