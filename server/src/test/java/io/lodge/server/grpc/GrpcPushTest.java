package io.lodge.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
import io.lodge.proto.logproto.EntryAdapter;
import io.lodge.proto.logproto.LabelPairAdapter;
import io.lodge.proto.logproto.PushRequest;
import io.lodge.proto.logproto.PushResponse;
import io.lodge.proto.logproto.StreamAdapter;
import io.lodge.server.LodgeServer;
import io.lodge.server.otlp.StreamQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code logproto.Pusher/Push} end to end with a grpc-java client over the network: pushes go through
 * the full pipeline (labels, service_name, validation, WAL) and show in the query API; tenant rules,
 * decode and validation failures come back as gRPC errors carrying the HTTP status; health answers.
 */
class GrpcPushTest {
  private static final long NOW = Instant.now().getEpochSecond() * 1_000_000_000L;

  @TempDir Path dir;
  private LodgeServer lodge;
  private ManagedChannel channel;

  private void start(boolean auth, String extraServerYaml) throws Exception {
    String yaml = """
        auth_enabled: %s
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_address: 127.0.0.1
          grpc_listen_port: 0
        %s
        common:
          path_prefix: %s
        """.formatted(auth, extraServerYaml, dir.resolve("data"));
    LodgeConfig config = ConfigLoader.fromYaml(yaml, "test.yaml").config();
    lodge = new LodgeServer(config);
    lodge.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", lodge.grpcPort()).usePlaintext()
        .maxInboundMessageSize(64 << 20).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (lodge != null) lodge.close();
  }

  private PushResponse push(String tenant, PushRequest request) {
    Channel c = channel;
    if (tenant != null) {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER), tenant);
      c = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    }
    return ClientCalls.blockingUnaryCall(c, LogprotoPusher.PUSH, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }

  private static PushRequest request(String labels, long ts, String line, Map<String, String> metadata) {
    EntryAdapter.Builder e = EntryAdapter.newBuilder()
        .setTimestamp(Timestamp.newBuilder().setSeconds(Math.floorDiv(ts, 1_000_000_000L)).setNanos((int) Math.floorMod(ts, 1_000_000_000L)))
        .setLine(line);
    metadata.forEach((k, v) -> e.addStructuredMetadata(LabelPairAdapter.newBuilder().setName(k).setValue(v)));
    return PushRequest.newBuilder().addStreams(StreamAdapter.newBuilder().setLabels(labels).addEntries(e)).build();
  }

  private List<StreamQuery.Stream> query(String tenant, String selector) throws Exception {
    return StreamQuery.query(lodge.httpPort(), tenant, selector, NOW - Duration.ofHours(1).toNanos(),
        NOW + Duration.ofMinutes(5).toNanos());
  }

  /** The HTTP status the error carries: grpc-status-details-bin's google.rpc.Status code, and x-http-status. */
  private static int httpStatus(StatusRuntimeException e) throws Exception {
    Metadata trailers = e.getTrailers();
    com.google.rpc.Status details = com.google.rpc.Status.parseFrom(trailers.get(HttpGrpcStatus.STATUS_DETAILS));
    assertThat(details.getMessage()).isEqualTo(e.getStatus().getDescription());
    assertThat(trailers.get(HttpGrpcStatus.HTTP_STATUS)).isEqualTo(Integer.toString(details.getCode()));
    return details.getCode();
  }

  @Test
  void pushesAreStoredUnderTheMetadataTenant() throws Exception {
    start(true, "");
    push("team-a", request("{app=\"grpc\", env=\"prod\"}", NOW + 7, "level=warn pushed over gRPC", Map.of("trace_id", "abc")));
    List<StreamQuery.Stream> streams = query("team-a", "{app=\"grpc\"}");
    assertThat(streams).containsExactly(new StreamQuery.Stream(
        new TreeMap<>(Map.of("app", "grpc", "env", "prod", "service_name", "grpc", "trace_id", "abc", "detected_level", "warn")),
        List.of(new StreamQuery.Entry(NOW + 7, "level=warn pushed over gRPC"))));
    assertThat(query("team-b", "{app=\"grpc\"}")).isEmpty();
  }

  @Test
  void tenantRulesAreTheHttpOnes() throws Exception {
    start(true, "");
    PushRequest ok = request("{app=\"t\"}", NOW, "x", Map.of());
    assertThatThrownBy(() -> push(null, ok)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(e.getStatus().getDescription()).isEqualTo("no org id");
      assertThat(uncheckedStatus(e)).isEqualTo(401);
    });
    assertThatThrownBy(() -> push("a|b", ok)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).isEqualTo("multiple org IDs present");
      assertThat(uncheckedStatus(e)).isEqualTo(400);
    });
    assertThatThrownBy(() -> push("a/b", ok)).isInstanceOfSatisfying(StatusRuntimeException.class, e ->
        assertThat(e.getStatus().getDescription()).isEqualTo("tenant ID 'a/b' contains unsupported character '/'"));
  }

  @Test
  void authOffServesEveryPushAsFake() throws Exception {
    start(false, "");
    push("ignored", request("{job=\"varlogs\"}", NOW + 1, "as fake", Map.of()));
    assertThat(query(null, "{service_name=\"varlogs\"}")).singleElement()
        .satisfies(s -> assertThat(s.entries()).containsExactly(new StreamQuery.Entry(NOW + 1, "as fake")));
  }

  @Test
  void decodeAndValidationFailuresCarryTheHttpStatus() throws Exception {
    start(false, "");
    assertThatThrownBy(() -> push(null, request("{job.name=\"x\"}", NOW, "x", Map.of())))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).startsWith("couldn't parse labels");
          assertThat(uncheckedStatus(e)).isEqualTo(400);
        });
    assertThatThrownBy(() -> push(null, PushRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getDescription()).isEqualTo("error at least one valid stream is required for ingestion");
          assertThat(uncheckedStatus(e)).isEqualTo(422);
        });
    long old = NOW - Duration.ofDays(8).toNanos();
    PushRequest mixed = request("{app=\"mixed\"}", old, "too old", Map.of()).toBuilder()
        .addStreams(request("{app=\"mixed\"}", NOW + 3, "fresh", Map.of()).getStreams(0)).build();
    assertThatThrownBy(() -> push(null, mixed)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getDescription()).startsWith("entry for stream '{app=\"mixed\", service_name=\"mixed\"}' has timestamp too old");
      assertThat(uncheckedStatus(e)).isEqualTo(400);
    });
    assertThat(query(null, "{app=\"mixed\"}")).singleElement()
        .satisfies(s -> assertThat(s.entries()).containsExactly(new StreamQuery.Entry(NOW + 3, "fresh")));
  }

  @Test
  void messagesOverTheReceiveLimitAreRefused() throws Exception {
    start(false, "  grpc_server_max_recv_msg_size: 1024");
    assertThatThrownBy(() -> push(null, request("{app=\"big\"}", NOW, "x".repeat(4096), Map.of())))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    push(null, request("{app=\"small\"}", NOW, "fits", Map.of()));
    assertThat(query(null, "{app=\"small\"}")).hasSize(1);
  }

  @Test
  void healthServiceReportsServing() throws Exception {
    start(false, "");
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService(LogprotoPusher.SERVICE_NAME).build()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  private static int uncheckedStatus(StatusRuntimeException e) {
    try {
      return httpStatus(e);
    } catch (Exception x) {
      throw new AssertionError("no HTTP status in the trailers of " + e, x);
    }
  }
}
