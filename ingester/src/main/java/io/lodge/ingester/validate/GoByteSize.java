package io.lodge.ingester.validate;

/**
 * Loki's {@code flagext.ByteSize.String()} ({@code c2h5oh/datasize}): the largest power-of-1024 unit that
 * divides the size exactly, {@code 3MB} for 3 MiB, {@code 1536KB}, {@code 1000B}, {@code 0B}.
 */
public final class GoByteSize {
  private static final String[] UNITS = {"EB", "PB", "TB", "GB", "MB", "KB"};

  private GoByteSize() {}

  /** The size formatted as Loki prints it in per-stream rate limit messages. */
  public static String format(long bytes) {
    if (bytes == 0) return "0B";
    for (int i = 0; i < UNITS.length; i++) {
      long unit = 1L << (10 * (UNITS.length - i));
      if (bytes % unit == 0) return Long.toUnsignedString(bytes / unit) + UNITS[i];
    }
    return Long.toUnsignedString(bytes) + "B";
  }
}
