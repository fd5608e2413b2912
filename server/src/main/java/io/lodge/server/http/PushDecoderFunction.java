package io.lodge.server.http;

import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.push.PushApi;
import io.netty.buffer.ByteBuf;

/**
 * Decodes a push body; {@link io.lodge.ingester.push.PushBodyDecoder#decode} in production, a fake in
 * tests. Reads {@code body} without taking ownership; throws
 * {@link io.lodge.ingester.push.PushDecodeException} (400/413) for bad input.
 */
@FunctionalInterface
public interface PushDecoderFunction {
  PushRequest decode(PushApi api, String contentType, String contentEncoding, ByteBuf body);
}
