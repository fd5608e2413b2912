package io.lodge.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.ingester.index.LabelMatcher;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.UnixNanos;
import io.lodge.querier.api.BadQueryException;
import io.lodge.querier.api.LokiJson;
import io.lodge.querier.api.MultiTenantReader;
import io.lodge.querier.api.QueryTimeoutException;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ParseException;
import io.lodge.querier.logql.ast.StreamSelector;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What the query handlers share: running work on the query workers and mapping the querier's typed
 * failures to Loki's status and plain-text body (LOKI-COMPAT 2.1), the tenant check, the clock and JSON
 * bodies in Go's escaping.
 */
public final class HandlerSupport {
  /** Every query endpoint answers GET and POST (form bodies are merged into the parameters). */
  public static final Set<HttpMethod> GET_POST = Set.of(HttpMethod.GET, HttpMethod.POST);

  private HandlerSupport() {}

  /** Runs {@code handler} on {@code workers}; querier exceptions become their Loki responses. */
  public static CompletableFuture<Response> async(Request r, Executor workers, Function<Request, Response> handler) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return handler.apply(r);
      } catch (BadQueryException e) {
        return Response.error(400, e.getMessage());
      } catch (ParseException e) {
        return Response.error(e.status(), e.getMessage());
      } catch (QueryTimeoutException e) {
        return Response.error(e.status(), e.getMessage());
      } catch (com.google.re2j.PatternSyntaxException e) {
        return Response.error(400, "parse error : " + e.getMessage());
      }
    }, workers);
  }

  /** The server clock in Unix ns. */
  public static long now() {
    return UnixNanos.now();
  }

  /**
   * The tenant argument of a query for a {@link MultiTenantReader}: the request's tenants joined by
   * {@code |} (one tenant when multi-tenant queries are off: the router refuses several then).
   */
  public static String tenant(Request r) {
    return MultiTenantReader.join(r.tenants());
  }

  /** The optional {@code query} of matchers only; empty when absent. */
  public static List<LabelMatcher> optionalMatchers(Request r) {
    String q = r.param("query");
    if (q == null || q.isBlank()) return List.of();
    return LogqlParser.parseSelector(q).matchers();
  }

  /** The required {@code query} of matchers only; absent gives Loki's {@code unexpected $end}. */
  public static StreamSelector requiredSelector(Request r) {
    String q = r.param("query");
    if (q == null || q.isBlank()) throw ParseException.noPosition("syntax error: unexpected $end");
    return LogqlParser.parseSelector(q);
  }

  /** Writes the members of a JSON object. */
  public interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }

  /** A JSON object with Go's escaping. */
  public static byte[] json(JsonBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = LokiJson.generator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes a label set as a JSON object member value. */
  public static void writeLabels(JsonGenerator g, LabelSet labels) throws IOException {
    g.writeStartObject();
    for (Label l : labels.labels()) g.writeStringField(l.name(), l.value());
    g.writeEndObject();
  }
}
