package io.lodge.ingester.validate;

/** How many entries and bytes (line + structured metadata) one discard reason took out of a push. */
public record DiscardCount(long lines, long bytes) {
  /** The sum of two counts. */
  public DiscardCount plus(long moreLines, long moreBytes) {
    return new DiscardCount(lines + moreLines, bytes + moreBytes);
  }
}
