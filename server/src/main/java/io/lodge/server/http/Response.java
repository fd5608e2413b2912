package io.lodge.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a handler answers: status, content type (null for none), body and extra headers. The body is
 * owned by the response: the server releases it once written (or when the connection is gone), so a
 * handler that builds a Response must hand it over and not touch the body again.
 */
public record Response(int status, String contentType, ByteBuf body, List<Map.Entry<String, String>> headers) {
  public static final String TEXT_PLAIN = "text/plain; charset=utf-8";
  public static final String JSON = "application/json; charset=UTF-8";

  public Response {
    if (status < 100 || status > 999) throw new IllegalArgumentException("HTTP status out of range: " + status);
    headers = List.copyOf(headers);
    if (body == null) body = Unpooled.EMPTY_BUFFER;
  }

  /** A body in the given content type. */
  public static Response of(int status, String contentType, ByteBuf body) {
    return new Response(status, contentType, body, List.of());
  }

  public static Response of(int status, String contentType, byte[] body) {
    return of(status, contentType, Unpooled.wrappedBuffer(body));
  }

  /** A plain-text body exactly as given. */
  public static Response text(int status, String body) {
    return of(status, TEXT_PLAIN, body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An error the way Go's {@code http.Error} writes it (LOKI-COMPAT 2.1): plain text, the message and a
   * newline, {@code X-Content-Type-Options: nosniff}.
   */
  public static Response error(int status, String message) {
    return text(status, message + "\n").withHeader("X-Content-Type-Options", "nosniff");
  }

  /** A JSON body (already encoded). */
  public static Response json(int status, byte[] json) {
    return of(status, JSON, json);
  }

  public static Response json(int status, String json) {
    return json(status, json.getBytes(StandardCharsets.UTF_8));
  }

  /** 204 No Content: what a successful push answers. */
  public static Response noContent() {
    return new Response(204, null, Unpooled.EMPTY_BUFFER, List.of());
  }

  /** A response without a body (405 does this, like gorilla mux). */
  public static Response empty(int status) {
    return new Response(status, null, Unpooled.EMPTY_BUFFER, List.of());
  }

  /** A copy with one more header. */
  public Response withHeader(String name, String value) {
    List<Map.Entry<String, String>> h = new ArrayList<>(headers);
    h.add(Map.entry(name, value));
    return new Response(status, contentType, body, h);
  }

  /** The body as UTF-8 text, without consuming it (for tests and logs). */
  public String bodyText() {
    return body.toString(StandardCharsets.UTF_8);
  }
}
