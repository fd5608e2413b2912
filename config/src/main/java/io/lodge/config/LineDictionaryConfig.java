package io.lodge.config;

/**
 * Lodge's {@code ingester.line_dictionaries} block: zstd dictionaries for the lines of chunk blocks, one
 * per group of a tenant's streams sharing the value of {@code group_label}; at most
 * {@code max_dictionaries} groups get one. By default a dictionary is {@code size_bytes} of the group's
 * first lines, sampled over several blocks, used as raw content (no training: free to build); with
 * {@code trained} it is trained by zstd from {@code sample_bytes} of lines into at most {@code size_bytes}.
 * Blocks of a few thousand lines compress far better against lines of their service than on their own.
 */
public record LineDictionaryConfig(
    boolean enabled,
    String groupLabel,
    long sizeBytes,
    long sampleBytes,
    int maxDictionaries,
    boolean trained) {

  public static LineDictionaryConfig defaults() {
    return new LineDictionaryConfig(true, "service_name", 512L << 10, 2L << 20, 32, false);
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
