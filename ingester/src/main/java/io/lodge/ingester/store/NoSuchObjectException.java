package io.lodge.ingester.store;

import java.io.IOException;

/** {@link ObjectStore#get} of a key that does not exist (or no longer does). */
public class NoSuchObjectException extends IOException {
  private final String key;

  public NoSuchObjectException(String key) {
    super("no object " + key);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
