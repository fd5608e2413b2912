package io.lodge.ingester.store;

import java.io.IOException;
import java.util.List;

/**
 * Where flushed chunks and index segments live: a flat namespace of small immutable objects.
 *
 * <p>Contract, for every implementation (checked by {@code ObjectStoreContractTest}):
 * <ul>
 *   <li>Keys are non-empty {@code /}-separated paths of non-empty segments; no segment is {@code .}
 *       or {@code ..}, no key starts with {@code /}, holds {@code \} or a NUL. Anything else is an
 *       {@link IllegalArgumentException}.
 *   <li>{@link #put} is atomic and durable when it returns: readers see the whole new object or the
 *       whole previous state, never a partial object, and a crash after it returns does not lose it.
 *       Putting an existing key replaces it (callers write each key once; replacing is for retries).
 *   <li>{@link #get} of a missing key throws {@link NoSuchObjectException}.
 *   <li>{@link #list} returns every key starting with the string prefix (not only a directory), sorted
 *       by key in {@link String#compareTo} order, and never an in-flight {@code put}.
 *   <li>{@link #delete} is idempotent: deleting a missing key is not an error.
 *   <li>Safe for concurrent use by many threads.
 * </ul>
 */
public interface ObjectStore {
  /** Stores {@code data} under {@code key}, atomically and durably. */
  void put(String key, byte[] data) throws IOException;

  /** The whole object. */
  byte[] get(String key) throws IOException;

  /** Every key starting with {@code prefix} ({@code ""} for all), sorted. */
  List<String> list(String prefix) throws IOException;

  /** Removes the object if it exists. */
  void delete(String key) throws IOException;

  boolean exists(String key) throws IOException;

  /** Checks a key against the contract's syntax; implementations call it on every key. */
  static String checkKey(String key) {
    if (key == null || key.isEmpty()) throw new IllegalArgumentException("empty object key");
    if (key.charAt(0) == '/') throw new IllegalArgumentException("absolute object key: " + key);
    if (key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("object key with a backslash or NUL: " + key);
    }
    int s = 0;
    while (true) {
      int e = key.indexOf('/', s);
      int end = e < 0 ? key.length() : e;
      String seg = key.substring(s, end);
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new IllegalArgumentException("object key with an empty, . or .. segment: " + key);
      }
      if (e < 0) return key;
      s = e + 1;
    }
  }
}
