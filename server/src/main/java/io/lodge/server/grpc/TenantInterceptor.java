package io.lodge.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Hands the {@code x-scope-orgid} metadata value (LOKI-COMPAT 1.2) to the service through the call's
 * {@link Context}; the service resolves it with the same rules as HTTP, so errors carry the same text.
 */
final class TenantInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> ORG_ID = Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER);
  /** The raw header value, null when absent. */
  static final Context.Key<String> ORG_ID_HEADER = Context.key("lodge-x-scope-orgid");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String value = headers.get(ORG_ID);
    return Contexts.interceptCall(Context.current().withValue(ORG_ID_HEADER, value), call, headers, next);
  }
}
