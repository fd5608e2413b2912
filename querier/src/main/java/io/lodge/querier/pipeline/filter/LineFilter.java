package io.lodge.querier.pipeline.filter;

/** A test on a raw line (UTF-8 bytes); implementations are immutable and thread-safe. */
public interface LineFilter {
  boolean matches(byte[] line);

  /** How costly a test is, so cheap filters of one AND run first (literal before regex). */
  default int cost() {
    return 1;
  }
}
