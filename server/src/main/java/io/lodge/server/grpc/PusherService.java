package io.lodge.server.grpc;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.PushService;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.push.ProtobufPushDecoder;
import io.lodge.ingester.push.PushDecodeException;
import io.lodge.ingester.push.ServiceNameDiscovery;
import io.lodge.proto.logproto.PushResponse;
import io.lodge.server.tenant.TenantException;
import io.lodge.server.tenant.TenantResolver;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code logproto.Pusher/Push} (LOKI-COMPAT 1.12) over the full ingest pipeline: the tenant from
 * {@code x-scope-orgid} by the HTTP rules, the message parsed by the same {@link ProtobufPushDecoder} as
 * HTTP protobuf pushes (label strings, service_name discovery, error texts), then the
 * {@link PushService}. Failures close the call with {@link HttpGrpcStatus}.
 */
final class PusherService {
  private static final Logger log = LoggerFactory.getLogger(PusherService.class);
  private static final PushResponse OK = PushResponse.getDefaultInstance();

  private final PushService service;
  private final TenantResolver tenants;
  private final ProtobufPushDecoder decoder;

  PusherService(PushService service, List<String> discoverServiceName, TenantResolver tenants, long maxMessageBytes) {
    this.service = service;
    this.tenants = tenants;
    this.decoder = new ProtobufPushDecoder(new ServiceNameDiscovery(discoverServiceName), ByteBufAllocator.DEFAULT,
        maxMessageBytes);
  }

  ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(LogprotoPusher.SERVICE_NAME)
        .addMethod(LogprotoPusher.PUSH_RAW, ServerCalls.asyncUnaryCall(this::push))
        .build();
  }

  /** Runs on grpc's call executor, never on the transport's event loop. */
  void push(byte[] message, StreamObserver<PushResponse> response) {
    String tenant;
    PushRequest request;
    try {
      tenant = tenants.pushTenant(TenantInterceptor.ORG_ID_HEADER.get());
      request = decoder.parse(message, 0, message.length);
    } catch (TenantException e) {
      response.onError(HttpGrpcStatus.toException(e.status(), e.getMessage()));
      return;
    } catch (PushDecodeException e) {
      response.onError(HttpGrpcStatus.toException(e.status(), e.getMessage()));
      return;
    }
    CompletableFuture<PushOutcome> pushed;
    try {
      pushed = service.push(tenant, request);
    } catch (RuntimeException e) {
      pushed = CompletableFuture.failedFuture(e);
    }
    pushed.whenComplete((outcome, failure) -> {
      if (failure != null) {
        log.atError().setCause(failure).addKeyValue("tenant", tenant).log("gRPC push failed");
        response.onError(HttpGrpcStatus.toException(500, "internal error: " + failure));
      } else {
        answer(outcome, response);
      }
    });
  }

  private static void answer(PushOutcome outcome, StreamObserver<PushResponse> response) {
    if (outcome.isSuccess()) {
      response.onNext(OK);
      response.onCompleted();
    } else {
      response.onError(HttpGrpcStatus.toException(outcome.status(), outcome.message()));
    }
  }
}
