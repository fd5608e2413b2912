package io.lodge.server.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import io.lodge.config.ElasticsearchConfig;
import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.PushService;
import io.lodge.server.http.InlineOnRejection;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * The Elasticsearch-compatible ingest endpoints under a prefix ({@code /elasticsearch} by default),
 * enough for Filebeat, Logstash and Vector's Elasticsearch outputs: the version probe
 * ({@code GET|HEAD <prefix>} and {@code <prefix>/}), {@code _license}, {@code _xpack},
 * {@code _cluster/health}, no-op answers to their setup calls (index templates, ILM policies, ingest
 * pipelines) and {@code POST <prefix>/_bulk} / {@code <prefix>/<index>/_bulk}. Every response carries
 * {@code X-Elastic-Product: Elasticsearch}, which Logstash and the official clients check.
 *
 * <p>A bulk body is decompressed (gzip or deflate, bounded by {@code maxBodyBytes}: 413 above) and
 * decoded on the worker executor, pushed as one request of the route's single tenant through
 * {@link PushService} (same validation, limits and WAL as Loki pushes), and answered in the bulk
 * shape. The push outcome applies to every item it carried: 201 on success, else its status (400: some
 * entries were refused by validation and the valid ones stored, so shippers drop rather than retry;
 * 429 and 5xx: retried by shippers, and the ingester drops the duplicates of entries already stored).
 */
public final class ElasticsearchHandler {
  private static final String PRODUCT_HEADER = "X-Elastic-Product";
  private static final int MAX_REASON = 1024;

  private final ElasticsearchConfig config;
  private final PushService service;
  private final long maxBodyBytes;
  private final Executor workers;
  private final Executor answers;
  private final JsonFactory json = new JsonFactory();
  private final EsJson bodies = new EsJson(json);
  private final BulkDecoder decoder = new BulkDecoder(json);
  private final String prefix;

  public ElasticsearchHandler(ElasticsearchConfig config, PushService service, long maxBodyBytes, Executor workers) {
    this.config = config;
    this.service = service;
    this.maxBodyBytes = maxBodyBytes;
    this.workers = workers;
    this.answers = new InlineOnRejection(workers);
    String p = config.pathPrefix().trim();
    while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
    if (!p.isEmpty() && !p.startsWith("/")) p = "/" + p;
    this.prefix = p;
  }

  /** Registers every route under the prefix (does nothing when {@code elasticsearch.enabled} is false). */
  public void register(Router router) {
    if (!config.enabled()) return;
    Set<HttpMethod> probe = Set.of(HttpMethod.GET, HttpMethod.HEAD);
    byte[] root = bodies.root(config.version());
    if (!prefix.isEmpty()) router.add(probe, prefix, TenantPolicy.NONE, r -> constant(r, root));
    router.add(probe, prefix + "/", TenantPolicy.NONE, r -> constant(r, root));
    byte[] license = bodies.license();
    router.add(probe, prefix + "/_license", TenantPolicy.NONE, r -> constant(r, license));
    byte[] xpack = bodies.xpack();
    router.add(probe, prefix + "/_xpack", TenantPolicy.NONE, r -> constant(r, xpack));
    byte[] health = bodies.clusterHealth();
    router.add(probe, prefix + "/_cluster/health", TenantPolicy.NONE, r -> constant(r, health));
    // setup calls of Beats and Logstash (templates, lifecycle policies, pipelines): nothing to set up
    Set<HttpMethod> setup = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.POST);
    byte[] empty = bodies.empty();
    byte[] ack = bodies.acknowledged();
    for (String path : List.of("/_index_template/{name}", "/_template/{name}", "/_component_template/{name}",
        "/_ilm/policy/{name}", "/_ingest/pipeline/{name}", "/_data_stream/{name}")) {
      router.add(setup, prefix + path, TenantPolicy.NONE,
          r -> constant(r, r.method().equals(HttpMethod.GET) || r.method().equals(HttpMethod.HEAD) ? empty : ack));
    }
    Set<HttpMethod> bulk = Set.of(HttpMethod.POST, HttpMethod.PUT);
    router.add(bulk, prefix + "/_bulk", TenantPolicy.SINGLE, r -> bulk(r, null));
    router.add(bulk, prefix + "/{index}/_bulk", TenantPolicy.SINGLE, r -> bulk(r, r.pathParam("index")));
  }

  /** The prefix the routes were registered under (normalized: leading slash, no trailing slash). */
  public String prefix() {
    return prefix;
  }

  private static CompletableFuture<Response> constant(Request r, byte[] body) {
    byte[] b = r.method().equals(HttpMethod.HEAD) ? new byte[0] : body;
    return CompletableFuture.completedFuture(Response.json(200, b).withHeader(PRODUCT_HEADER, "Elasticsearch"));
  }

  private Response esError(int status, String type, String reason) {
    return Response.json(status, bodies.error(status, type, reason)).withHeader(PRODUCT_HEADER, "Elasticsearch");
  }

  /** Serves one bulk request; {@code urlIndex} is the index from the path, or null. */
  public CompletableFuture<Response> bulk(Request request, String urlIndex) {
    String tenant = request.tenant();
    if (tenant == null) throw new IllegalStateException("bulk route registered without a tenant policy");
    long start = System.nanoTime();
    BulkOptions options = BulkOptions.resolve(config, request::param, request::header);
    String encoding = request.header(HttpHeaderNames.CONTENT_ENCODING);
    return CompletableFuture.supplyAsync(() -> {
      byte[] body;
      try {
        body = decompress(request.body(), encoding);
      } finally {
        request.releaseBody();
      }
      return decoder.decode(body, body.length, urlIndex, options, System.currentTimeMillis() * 1_000_000L);
    }, workers).thenCompose(decoded -> {
      if (decoded.entryCount() == 0) return CompletableFuture.completedFuture(answer(start, decoded.items()));
      // completed on the WAL thread: answer on a worker so that it goes back to the next group
      return service.push(tenant, decoded.request())
          .thenApplyAsync(outcome -> answer(start, apply(decoded, outcome)), answers);
    }).exceptionally(failure -> {
      Throwable t = io.lodge.server.http.LokiErrors.unwrap(failure);
      if (t instanceof BodyException e) return esError(e.status, e.type, e.getMessage());
      if (t instanceof RuntimeException re) throw re;
      throw new java.util.concurrent.CompletionException(t);
    });
  }

  private Response answer(long startNanos, List<BulkItem> items) {
    long took = (System.nanoTime() - startNanos) / 1_000_000L;
    return Response.json(200, bodies.bulk(took, items)).withHeader(PRODUCT_HEADER, "Elasticsearch");
  }

  /** Every pushed item takes the push's outcome. */
  static List<BulkItem> apply(BulkDecoder.Decoded decoded, PushOutcome outcome) {
    if (outcome.isSuccess()) return decoded.items();
    List<BulkItem> items = new ArrayList<>(decoded.items());
    int status = outcome.status();
    String type = status == 429 ? "es_rejected_execution_exception"
        : status >= 500 ? "status_exception" : "illegal_argument_exception";
    String reason = outcome.message().length() > MAX_REASON ? outcome.message().substring(0, MAX_REASON) + "..."
        : outcome.message();
    for (int i : decoded.pushedItems()) items.set(i, items.get(i).withOutcome(status, type, reason));
    return items;
  }

  private byte[] decompress(ByteBuf body, String encoding) {
    String enc = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
    if (enc.isEmpty() || enc.equals("identity")) {
      byte[] b = new byte[body.readableBytes()];
      body.getBytes(body.readerIndex(), b);
      return b;
    }
    try (InputStream raw = new ByteBufInputStream(body.duplicate());
         InputStream in = switch (enc) {
           case "gzip", "x-gzip" -> new GZIPInputStream(raw, 8192);
           case "deflate" -> new InflaterInputStream(raw);
           default -> throw new BodyException(415, "illegal_argument_exception",
               "unsupported Content-Encoding [" + encoding + "]; use gzip or deflate");
         }) {
      return readBounded(in);
    } catch (BodyException e) {
      throw e;
    } catch (IOException e) {
      throw new BodyException(400, "parse_exception", "cannot decompress the " + enc + " body: " + e.getMessage());
    }
  }

  private byte[] readBounded(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (buf.length > maxBodyBytes) {
          throw new BodyException(413, "content_too_long_exception",
              "decompressed bulk body exceeds the limit of " + maxBodyBytes + " bytes");
        }
        buf = java.util.Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.min(buf.length * 2L, maxBodyBytes + 1)));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) break;
      n += r;
      if (n > maxBodyBytes) {
        throw new BodyException(413, "content_too_long_exception",
            "decompressed bulk body exceeds the limit of " + maxBodyBytes + " bytes");
      }
    }
    return java.util.Arrays.copyOf(buf, n);
  }

  /** A body that cannot be read at all: answered with an Elasticsearch error object. */
  private static final class BodyException extends RuntimeException {
    final int status;
    final String type;

    BodyException(int status, String type, String message) {
      super(message, null, false, false);
      this.status = status;
      this.type = type;
    }
  }
}
