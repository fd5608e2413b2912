package io.lodge.server.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * An HTTP-style failure (status + Loki's message) as a gRPC error (LOKI-COMPAT 1.12).
 *
 * <p>Loki (dskit httpgrpc) puts the HTTP status itself in the gRPC status code. grpc-java cannot send
 * a code outside 0..16 ({@code Status.fromCodeValue(400)} becomes UNKNOWN and the transport writes the
 * enum's number), so Lodge sends the nearest standard code, which every gRPC client understands, with
 * the HTTP status carried twice: in {@code grpc-status-details-bin} as a {@code google.rpc.Status} whose
 * {@code code} is the HTTP status (the message dskit clients read the code from), and as the ASCII
 * trailer {@code x-http-status}. The description is Loki's message, unchanged.
 */
final class HttpGrpcStatus {
  static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);
  static final Metadata.Key<String> HTTP_STATUS = Metadata.Key.of("x-http-status", Metadata.ASCII_STRING_MARSHALLER);

  private HttpGrpcStatus() {}

  /** The standard gRPC code nearest to an HTTP status. */
  static Status.Code codeFor(int httpStatus) {
    return switch (httpStatus) {
      case 400, 422 -> Status.Code.INVALID_ARGUMENT;
      case 413, 429 -> Status.Code.RESOURCE_EXHAUSTED;
      case 401 -> Status.Code.UNAUTHENTICATED;
      case 403 -> Status.Code.PERMISSION_DENIED;
      case 404 -> Status.Code.NOT_FOUND;
      case 500 -> Status.Code.INTERNAL;
      case 501 -> Status.Code.UNIMPLEMENTED;
      case 503 -> Status.Code.UNAVAILABLE;
      case 504 -> Status.Code.DEADLINE_EXCEEDED;
      default -> httpStatus >= 500 ? Status.Code.UNAVAILABLE : Status.Code.UNKNOWN;
    };
  }

  /** The exception to close a call with. */
  static StatusRuntimeException toException(int httpStatus, String message) {
    Metadata trailers = new Metadata();
    trailers.put(STATUS_DETAILS, com.google.rpc.Status.newBuilder()
        .setCode(httpStatus).setMessage(message).build().toByteArray());
    trailers.put(HTTP_STATUS, Integer.toString(httpStatus));
    return Status.fromCode(codeFor(httpStatus)).withDescription(message).asRuntimeException(trailers);
  }
}
