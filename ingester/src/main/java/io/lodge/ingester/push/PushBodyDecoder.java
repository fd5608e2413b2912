package io.lodge.ingester.push;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.GoQuote;
import io.lodge.ingester.model.PushRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Turns a push body into a {@link PushRequest} the way Loki does (LOKI-COMPAT 1.3 to 1.6):
 * Content-Encoding, then Content-Type picks JSON or snappy-block protobuf; labels are parsed and
 * service_name is discovered. Reads the buffer without taking ownership (the caller releases it).
 *
 * <p>Order of checks, as in Loki: the Content-Encoding value (and a gzip header), then the Content-Type,
 * then decompression and decoding. No step produces more than {@code maxDecompressedBytes}: raw bodies
 * above it, gzip/deflate output growing past it and snappy blocks declaring more are refused with
 * {@link PushTooLargeException} (413, an intentional difference from Loki, which has no limit) before the
 * memory is taken. Thread-safe; one instance serves every request.
 */
public final class PushBodyDecoder {
  private final LimitsConfig limits;
  private final long maxDecompressedBytes;
  private final BodyInflater inflater;
  private final ProtobufPushDecoder protobuf;
  private final JsonPushDecoder json;

  public PushBodyDecoder(LimitsConfig limits, long maxDecompressedBytes) {
    this(limits, maxDecompressedBytes, ByteBufAllocator.DEFAULT);
  }

  /** {@code alloc} supplies the gzip/deflate buffers (snappy decompresses into per-thread scratch), all released or reused before {@link #decode} returns. */
  public PushBodyDecoder(LimitsConfig limits, long maxDecompressedBytes, ByteBufAllocator alloc) {
    if (maxDecompressedBytes <= 0) throw new IllegalArgumentException("maxDecompressedBytes must be positive");
    this.limits = limits;
    this.maxDecompressedBytes = maxDecompressedBytes;
    StreamLabelsCache labels = new StreamLabelsCache(new ServiceNameDiscovery(limits.discoverServiceName()));
    this.inflater = new BodyInflater(alloc, maxDecompressedBytes);
    this.protobuf = new ProtobufPushDecoder(labels, new SnappyBlock(alloc, maxDecompressedBytes));
    this.json = new JsonPushDecoder(labels);
  }

  /**
   * Decodes one body; {@code contentType} and {@code contentEncoding} are the raw header values (null when
   * absent).
   *
   * @throws PushDecodeException with Loki's message (400), or {@link PushTooLargeException} (413)
   */
  public PushRequest decode(PushApi api, String contentType, String contentEncoding, ByteBuf body) {
    String encoding = contentEncoding == null ? "" : contentEncoding;
    switch (encoding) {
      case "", "snappy" -> { } // "snappy": the protobuf path snappy-decodes anyway; JSON is read as is
      case "gzip" -> BodyInflater.checkGzipHeader(body);
      case "deflate" -> { }
      default -> throw new PushDecodeException("Content-Encoding " + GoQuote.quote(encoding) + " not supported");
    }
    boolean isJson = MediaTypes.parse(contentType).equals("application/json");
    ByteBuf content = switch (encoding) {
      case "gzip" -> inflater.gunzip(body);
      case "deflate" -> inflater.inflateRaw(body);
      default -> body;
    };
    try {
      if (isJson) {
        if (content.readableBytes() > maxDecompressedBytes) {
          throw new PushTooLargeException("push body too large: " + content.readableBytes()
              + " bytes of JSON, above the limit of " + maxDecompressedBytes + " bytes");
        }
        return json.decode(api, content);
      }
      return protobuf.decodeSnappy(content);
    } finally {
      if (content != body) content.release();
    }
  }

  /** The limits this decoder was built with (service_name discovery comes from them). */
  public LimitsConfig limits() {
    return limits;
  }

  /** The cap on decompressed bytes. */
  public long maxDecompressedBytes() {
    return maxDecompressedBytes;
  }
}
