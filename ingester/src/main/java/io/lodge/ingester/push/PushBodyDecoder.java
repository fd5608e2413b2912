package io.lodge.ingester.push;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.PushRequest;
import io.netty.buffer.ByteBuf;

/**
 * Turns a push body into a {@link PushRequest} the way Loki does (LOKI-COMPAT 1.3 to 1.6):
 * Content-Encoding, then Content-Type picks JSON or snappy-block protobuf; labels are parsed and
 * service_name is discovered. Reads the buffer without taking ownership (the caller releases it).
 */
public final class PushBodyDecoder {
  private final LimitsConfig limits;
  private final long maxDecompressedBytes;

  public PushBodyDecoder(LimitsConfig limits, long maxDecompressedBytes) {
    this.limits = limits;
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  /**
   * Decodes one body; {@code contentType} and {@code contentEncoding} are the raw header values (null when
   * absent).
   *
   * @throws PushDecodeException with Loki's message (400), or {@link PushTooLargeException} (413)
   */
  public PushRequest decode(PushApi api, String contentType, String contentEncoding, ByteBuf body) {
    throw new UnsupportedOperationException("not built yet: " + limits + maxDecompressedBytes);
  }
}
