package io.lodge.ingester.store;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

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
 *   <li>{@link #get} of a missing key throws {@link NoSuchObjectException}; a range that reaches past the
 *       object's end throws an {@link EOFException} naming the key.
 *   <li>{@link #list} returns every key starting with the string prefix (not only a directory), sorted
 *       by key in {@link String#compareTo} order, and never an in-flight {@code put}.
 *   <li>{@link #children} returns the distinct next segments of the keys below a prefix, sorted.
 *   <li>{@link #delete} is idempotent: deleting a missing key is not an error.
 *   <li>Safe for concurrent use by many threads.
 * </ul>
 */
public interface ObjectStore {
  /** Stores {@code data} under {@code key}, atomically and durably. */
  void put(String key, byte[] data) throws IOException;

  /**
   * Stores the concatenation of {@code parts} under {@code key}, atomically and durably, as {@link #put(String,
   * byte[])} does; implementations write the parts without joining them first.
   */
  default void put(String key, List<byte[]> parts) throws IOException {
    int n = 0;
    for (byte[] p : parts) n = Math.addExact(n, p.length);
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    put(key, all);
  }

  /** The whole object. */
  byte[] get(String key) throws IOException;

  /** {@code length} bytes of the object from {@code offset}; implementations read only that range. */
  default byte[] get(String key, long offset, int length) throws IOException {
    checkRange(key, offset, length);
    byte[] all = get(key);
    if (offset + length > all.length) throw pastTheEnd(key, offset, length, all.length);
    return Arrays.copyOfRange(all, (int) offset, (int) offset + length);
  }

  /** Every key starting with {@code prefix} ({@code ""} for all), sorted. */
  List<String> list(String prefix) throws IOException;

  /**
   * The distinct names that follow {@code prefix} (empty, or ending with {@code /}) in the keys below it, up to
   * their next {@code /}: S3's common prefixes for the delimiter {@code /}, without it. Sorted; may also name a
   * directory whose objects were all deleted. Lists tenants, days and the like without listing every key.
   */
  default List<String> children(String prefix) throws IOException {
    checkPrefix(prefix);
    TreeSet<String> names = new TreeSet<>();
    for (String key : list(prefix)) {
      int slash = key.indexOf('/', prefix.length());
      names.add(key.substring(prefix.length(), slash < 0 ? key.length() : slash));
    }
    return new ArrayList<>(names);
  }

  /** Removes the object if it exists. */
  void delete(String key) throws IOException;

  boolean exists(String key) throws IOException;

  /** Rejects a {@link #children} prefix that is neither empty nor a sequence of valid segments each ending in {@code /}. */
  static void checkPrefix(String prefix) {
    if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.length() == 1)) {
      throw new IllegalArgumentException("bad children prefix (empty or ending with /): " + prefix);
    }
    if (!prefix.isEmpty()) checkKey(prefix.substring(0, prefix.length() - 1));
  }

  /** Rejects a negative offset or length. */
  static void checkRange(String key, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("bad range of " + key + ": offset " + offset + ", length " + length);
    }
  }

  /** The error for a range read that reaches past the object's end. */
  static EOFException pastTheEnd(String key, long offset, int length, long size) {
    return new EOFException("object " + key + " holds " + size + " bytes; cannot read " + length + " from offset "
        + offset);
  }

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
