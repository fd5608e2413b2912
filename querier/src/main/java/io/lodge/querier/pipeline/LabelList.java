package io.lodge.querier.pipeline;

import java.util.Arrays;

/**
 * A small, reusable list of label names and values in insertion order (one per name), searched
 * linearly: entries carry few labels, so this beats hashing and allocates nothing once grown.
 */
final class LabelList {
  private String[] names = new String[8];
  private String[] values = new String[8];
  private int size;

  int size() {
    return size;
  }

  String name(int i) {
    return names[i];
  }

  String value(int i) {
    return values[i];
  }

  void clear() {
    Arrays.fill(names, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
  }

  int indexOf(String name) {
    for (int i = 0; i < size; i++) if (names[i].equals(name)) return i;
    return -1;
  }

  /** The value of {@code name}, or null when absent. */
  String get(String name) {
    int i = indexOf(name);
    return i < 0 ? null : values[i];
  }

  /** Sets {@code name} (replacing its value in place when present). */
  void set(String name, String value) {
    int i = indexOf(name);
    if (i >= 0) {
      values[i] = value;
      return;
    }
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    names[size] = name;
    values[size] = value;
    size++;
  }

  /** Removes {@code name}; true when it was present. */
  boolean remove(String name) {
    int i = indexOf(name);
    if (i < 0) return false;
    System.arraycopy(names, i + 1, names, i, size - i - 1);
    System.arraycopy(values, i + 1, values, i, size - i - 1);
    size--;
    names[size] = null;
    values[size] = null;
    return true;
  }
}
