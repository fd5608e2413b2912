package io.lodge.server.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.lodge.proto.logproto.PushRequest;
import io.lodge.proto.logproto.PushResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The {@code logproto.Pusher} service's one method (LOKI-COMPAT 1.12), what protoc-gen-grpc-java would
 * generate from {@code push.proto}: written out because the plugin's native binary is not available from
 * the build's repository. {@link #PUSH} is the client's descriptor (protobuf messages both ways); the
 * server binds {@link #PUSH_RAW}, which hands the request over as bytes so that Lodge's own
 * {@code ProtobufPushDecoder} parses it exactly as it parses HTTP pushes.
 */
public final class LogprotoPusher {
  public static final String SERVICE_NAME = "logproto.Pusher";
  public static final String PUSH_METHOD = MethodDescriptor.generateFullMethodName(SERVICE_NAME, "Push");

  /** Client-side descriptor: {@code PushRequest} to {@code PushResponse}. */
  public static final MethodDescriptor<PushRequest, PushResponse> PUSH =
      MethodDescriptor.<PushRequest, PushResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(PUSH_METHOD)
          .setRequestMarshaller(ProtoUtils.marshaller(PushRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(PushResponse.getDefaultInstance()))
          .build();

  /** Server-side descriptor: the serialized {@code PushRequest} as bytes, an empty {@code PushResponse}. */
  static final MethodDescriptor<byte[], PushResponse> PUSH_RAW =
      MethodDescriptor.<byte[], PushResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(PUSH_METHOD)
          .setRequestMarshaller(new BytesMarshaller())
          .setResponseMarshaller(ProtoUtils.marshaller(PushResponse.getDefaultInstance()))
          .build();

  private LogprotoPusher() {}

  /** Messages as byte arrays; grpc has already bounded them by the max receive size. */
  private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try (stream) {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("reading a gRPC message failed", e);
      }
    }
  }
}
