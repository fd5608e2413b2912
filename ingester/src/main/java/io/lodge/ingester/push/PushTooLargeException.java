package io.lodge.ingester.push;

/** A push body larger than the configured limit (before or after decompression): HTTP 413. */
public final class PushTooLargeException extends PushDecodeException {
  public PushTooLargeException(String message) {
    super(message);
  }

  @Override
  public int status() {
    return 413;
  }
}
