package io.lodge.server.query;

import static io.lodge.server.query.HandlerSupport.GET_POST;

import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ParseException;
import io.lodge.server.http.Request;
import io.lodge.server.http.Response;
import io.lodge.server.http.Router;
import io.lodge.server.http.TenantPolicy;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /loki/api/v1/format_query} (LOKI-COMPAT 2.12): the query printed in canonical form,
 * {@code {"status":"success","data":"..."}}; unlike other endpoints its errors are JSON too,
 * {@code 400 {"status":"invalid-query","error":"..."}}. Parsing is cheap, so it runs inline.
 */
public final class FormatQueryHandler {
  public void register(Router router) {
    router.add(GET_POST, "/loki/api/v1/format_query", TenantPolicy.MULTI,
        r -> CompletableFuture.completedFuture(format(r)));
  }

  static Response format(Request r) {
    String q = r.param("query");
    try {
      String printed = LogqlParser.parse(q == null ? "" : q, false).toString();
      return Response.json(200, HandlerSupport.json(g -> {
        g.writeStringField("status", "success");
        g.writeStringField("data", printed);
      }));
    } catch (ParseException e) {
      return Response.json(400, HandlerSupport.json(g -> {
        g.writeStringField("status", "invalid-query");
        g.writeStringField("error", e.getMessage());
      }));
    } catch (com.google.re2j.PatternSyntaxException e) {
      return Response.json(400, HandlerSupport.json(g -> {
        g.writeStringField("status", "invalid-query");
        g.writeStringField("error", "parse error : " + e.getMessage());
      }));
    }
  }
}
