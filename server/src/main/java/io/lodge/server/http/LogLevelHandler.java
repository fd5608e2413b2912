package io.lodge.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.server.log.LogSetup;
import io.netty.handler.codec.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET|POST /log_level} (LOKI-COMPAT 2.13): GET answers {@code {"message":"Current log level is
 * warn"}}; POST with {@code log_level=debug|info|warn|error} (query or form) sets the root level and
 * answers {@code {"status":"success","message":"Log level set to debug"}}, or 400 with
 * {@code "status":"failed"} for any other value.
 */
public final class LogLevelHandler implements HttpHandler {
  public static final String PATH = "/log_level";
  private static final JsonFactory JSON = new JsonFactory();

  public void register(Router router) {
    router.add(Set.of(HttpMethod.GET, HttpMethod.POST), PATH, TenantPolicy.NONE, this);
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    if (request.method().equals(HttpMethod.GET)) {
      return done(200, null, "Current log level is " + LogSetup.level());
    }
    String level = request.param("log_level");
    if (!LogSetup.isValidLevel(level)) return done(400, "failed", "Invalid log level: " + level);
    LogSetup.setLevel(level);
    return done(200, "success", "Log level set to " + level);
  }

  private static CompletableFuture<Response> done(int status, String outcome, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      if (outcome != null) g.writeStringField("status", outcome);
      g.writeStringField("message", message);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return CompletableFuture.completedFuture(Response.json(status, out.toByteArray()));
  }
}
