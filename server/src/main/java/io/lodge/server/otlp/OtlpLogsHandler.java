package io.lodge.server.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import io.lodge.config.DistributorConfig;
import io.lodge.config.LimitsConfig;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.PushService;
import io.lodge.ingester.model.UnixNanos;
import io.lodge.ingester.push.PushDecodeException;
import io.lodge.ingester.push.PushTooLargeException;
import io.lodge.server.http.InlineOnRejection;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /otlp/v1/logs} (LOKI-COMPAT 1.11): OTLP/HTTP log export into the same ingest pipeline as
 * Loki pushes. {@code Content-Encoding: gzip} is gunzipped (other encodings are read as they are); the
 * {@code Content-Type} is compared exactly: {@code application/x-protobuf} or {@code application/json}.
 * The request is mapped by {@link OtlpLogsMapper} and handed to the {@link PushService}. Success is 204
 * with no body; every error is its HTTP status with a protobuf {@code google.rpc.Status} body (code 0,
 * the message), and 500 becomes 503 so that OTLP exporters retry.
 */
public final class OtlpLogsHandler {
  private static final Logger log = LoggerFactory.getLogger(OtlpLogsHandler.class);
  public static final String PATH = "/otlp/v1/logs";
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";
  /** What Loki sets on its protobuf Status error bodies. */
  static final String ERROR_CONTENT_TYPE = "application/octet-stream";

  private final PushService service;
  private final OtlpLogsMapper mapper;
  private final long maxBodyBytes;
  private final Executor workers;
  private final Executor answers;

  /**
   * {@code maxBodyBytes} bounds the (gunzipped) body, 413 above it: use
   * {@code ServerConfig.maxRequestBodySize()}, the limit of the Loki push paths.
   */
  public OtlpLogsHandler(PushService service, LimitsConfig limits, DistributorConfig distributor, long maxBodyBytes,
      Executor workers) {
    this(service, OtlpAttributePolicy.of(limits.otlpConfig(), distributor.otlpDefaultResourceAttributesAsIndexLabels()),
        limits.discoverServiceName(), maxBodyBytes, workers, UnixNanos::now);
  }

  OtlpLogsHandler(PushService service, OtlpAttributePolicy policy, List<String> discoverServiceName, long maxBodyBytes,
      Executor workers, LongSupplier nowNanos) {
    if (maxBodyBytes <= 0) throw new IllegalArgumentException("maxBodyBytes must be positive");
    this.service = service;
    this.mapper = new OtlpLogsMapper(policy, discoverServiceName, nowNanos);
    this.maxBodyBytes = maxBodyBytes;
    this.workers = workers;
    this.answers = new InlineOnRejection(workers);
  }


  /** Registers {@code POST /otlp/v1/logs} (one tenant). */
  public void register(Router router) {
    router.add(Set.of(HttpMethod.POST), PATH, TenantPolicy.SINGLE, this::handle);
  }

  /** Serves one export; the request's tenant must already be resolved. */
  public CompletableFuture<Response> handle(Request request) {
    String tenant = request.tenant();
    if (tenant == null) throw new IllegalStateException("OTLP route registered without a tenant policy");
    String contentType = request.header(HttpHeaderNames.CONTENT_TYPE);
    String contentEncoding = request.header(HttpHeaderNames.CONTENT_ENCODING);
    CompletableFuture<Response> answer = new CompletableFuture<>();
    try {
      workers.execute(() -> {
        OtlpLogsMapper.Result mapped;
        try {
          mapped = decode(contentType, contentEncoding, request);
        } catch (PushDecodeException e) {
          answer.complete(error(e.status(), e.getMessage()));
          return;
        } catch (RuntimeException e) {
          log.atError().setCause(e).log("OTLP logs decoding failed");
          answer.complete(error(500, "internal error: " + e));
          return;
        }
        CompletableFuture<PushOutcome> pushed;
        try {
          pushed = service.push(tenant, mapped.request());
        } catch (RuntimeException e) {
          pushed = CompletableFuture.failedFuture(e);
        }
        // completed on the WAL thread: answer on a worker so that it goes back to the next group
        pushed.whenCompleteAsync((outcome, failure) -> {
          if (failure != null) {
            log.atError().setCause(failure).log("OTLP logs push failed");
            answer.complete(error(500, "internal error: " + failure));
          } else {
            answer.complete(toResponse(outcome, mapped.errors()));
          }
        }, answers);
      });
    } catch (RejectedExecutionException e) {
      request.releaseBody();
      answer.complete(error(503, "too many push requests in flight, retry later"));
    }
    return answer;
  }

  private OtlpLogsMapper.Result decode(String contentType, String contentEncoding, Request request) {
    ExportLogsServiceRequest export;
    try {
      byte[] body = readBody(request.body(), "gzip".equals(contentEncoding));
      export = parse(contentType, body);
    } finally {
      request.releaseBody(); // the mapped request owns copies of everything it keeps
    }
    return mapper.map(export);
  }

  /** The body bytes, gunzipped when asked; never more than the limit (413). */
  private byte[] readBody(ByteBuf body, boolean gzip) {
    if (!gzip) {
      if (body.readableBytes() > maxBodyBytes) throw tooLarge(body.readableBytes());
      byte[] bytes = new byte[body.readableBytes()];
      body.getBytes(body.readerIndex(), bytes);
      return bytes;
    }
    try (InputStream in = new GZIPInputStream(new ByteBufInputStream(body.duplicate()))) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) throw tooLarge(bytes.length);
      return bytes;
    } catch (ZipException e) {
      throw new PushDecodeException("gzip: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new PushDecodeException("gzip: unexpected EOF", e);
    } catch (IOException e) {
      throw new PushDecodeException("gzip: " + e.getMessage(), e);
    }
  }

  private PushTooLargeException tooLarge(long size) {
    return new PushTooLargeException("OTLP request body too large: more than " + maxBodyBytes
        + " bytes (read " + size + ")");
  }

  /** The content type is compared exactly, as Loki does: no MIME parsing, no parameters. */
  static ExportLogsServiceRequest parse(String contentType, byte[] body) {
    if (PROTOBUF.equals(contentType)) {
      try {
        return ExportLogsServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new PushDecodeException("proto: cannot decode ExportLogsServiceRequest: " + e.getMessage(), e);
      }
    }
    if (JSON.equals(contentType)) return OtlpJsonDecoder.decode(body);
    throw new PushDecodeException("content type: " + (contentType == null ? "" : contentType) + " is not supported");
  }

  private static Response toResponse(PushOutcome outcome, List<String> mappingErrors) {
    if (!outcome.isSuccess()) return error(outcome.status(), outcome.message());
    // resources skipped while mapping: the rest is stored, the client learns what was dropped
    if (!mappingErrors.isEmpty()) return error(400, String.join("; ", mappingErrors));
    return Response.noContent();
  }

  /** An OTLP error: the status (500 turned into 503) and a protobuf google.rpc.Status body. */
  static Response error(int status, String message) {
    int code = status == 500 ? 503 : status;
    byte[] body = Status.newBuilder().setCode(0).setMessage(message).build().toByteArray();
    return Response.of(code, ERROR_CONTENT_TYPE, body);
  }
}
