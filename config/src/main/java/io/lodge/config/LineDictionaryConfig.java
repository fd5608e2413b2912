package io.lodge.config;

/**
 * Lodge's {@code ingester.line_dictionaries} block: zstd dictionaries for the lines of chunk blocks, one
 * per group of a tenant's streams sharing the value of {@code group_label}, each trained from
 * {@code sample_bytes} of the group's first lines into at most {@code size_bytes}; at most
 * {@code max_dictionaries} groups get one. Blocks of a few thousand lines compress far better against
 * a dictionary of their service's templates than on their own.
 */
public record LineDictionaryConfig(
    boolean enabled,
    String groupLabel,
    long sizeBytes,
    long sampleBytes,
    int maxDictionaries) {

  public static LineDictionaryConfig defaults() {
    return new LineDictionaryConfig(true, "service_name", 256L << 10, 2L << 20, 32);
  }

  /** The dictionary size as an int (validated at load to fit). */
  public int dictionaryBytes() {
    return (int) sizeBytes;
  }

  /** The sample size as an int (validated at load to fit). */
  public int sampleSize() {
    return (int) sampleBytes;
  }
}
