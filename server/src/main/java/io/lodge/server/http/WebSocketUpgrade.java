package io.lodge.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.Base64;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches an HTTP connection to WebSocket once a handler accepted the upgrade
 * ({@link Request#upgradeToWebSocket}): checks the handshake the way Go's gorilla/websocket does (a bad
 * one is a plain 400 {@code Bad Request}, 405 for a non-GET), then lets Netty's handshaker answer 101
 * and swap the HTTP codec for the WebSocket frame codec. The HTTP-only handlers (idle timeout,
 * keep-alive, aggregator, dispatcher) leave the pipeline; the endpoint's frame handler is added last
 * once the 101 is on the wire, and reading resumes.
 */
final class WebSocketUpgrade {
  private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);
  /** Client frames Lodge's endpoints read are tiny (close, pong); 64 KiB bounds a hostile one. */
  private static final int MAX_FRAME_PAYLOAD = 64 * 1024;
  /** The name the endpoint's frame handler gets in the pipeline. */
  static final String FRAMES = "websocket";

  private WebSocketUpgrade() {}

  /** The answer gorilla's Upgrader gives a request that is no valid handshake, or null when it is one. */
  static Response refusal(FullHttpRequest req) {
    HttpHeaders h = req.headers();
    String problem = null;
    int status = 400;
    if (!hasToken(h, HttpHeaderNames.CONNECTION, "upgrade")) {
      problem = "'upgrade' token not found in 'Connection' header";
    } else if (!hasToken(h, HttpHeaderNames.UPGRADE, "websocket")) {
      problem = "'websocket' token not found in 'Upgrade' header";
    } else if (!req.method().equals(HttpMethod.GET)) {
      problem = "request method is not GET";
      status = 405;
    } else if (!"13".equals(h.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
      problem = "unsupported version: 13 not found in 'Sec-Websocket-Version' header";
    } else if (!validKey(h.get(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
      problem = "'Sec-WebSocket-Key' header must be Base64 encoded value of 16-byte in length";
    }
    if (problem == null) return null;
    log.atDebug().addKeyValue("uri", req.uri()).addKeyValue("reason", problem).log("refused WebSocket handshake");
    // gorilla writes the status text as the body and the reason only to its log
    String text = status == 405 ? "Method Not Allowed" : "Bad Request";
    return Response.error(status, text).withHeader("Sec-Websocket-Version", "13");
  }

  private static boolean hasToken(HttpHeaders h, CharSequence name, String token) {
    for (String v : h.getAll(name)) {
      for (String t : v.split(",")) {
        if (t.trim().toLowerCase(Locale.ROOT).equals(token)) return true;
      }
    }
    return false;
  }

  private static boolean validKey(String key) {
    if (key == null) return false;
    try {
      return Base64.getDecoder().decode(key.trim()).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Answers the handshake (the request passed {@link #refusal}) on {@code ch} and hands the connection
   * to {@code frames}. Runs on the channel's event loop; the request body may already be released (only
   * the headers are read).
   */
  static void handshake(Channel ch, FullHttpRequest req, ChannelHandler frames) {
    String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(url, null, false, MAX_FRAME_PAYLOAD).newHandshaker(req);
    if (handshaker == null) { // refusal() already checked the version; kept for safety
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ChannelPipeline p = ch.pipeline();
    for (String name : new String[] {HttpServer.IDLE, HttpServer.KEEP_ALIVE, HttpServer.DISPATCHER}) {
      if (p.get(name) != null) p.remove(name);
    }
    handshaker.handshake(ch, req).addListener(f -> {
      if (!f.isSuccess()) {
        log.atDebug().addKeyValue("uri", req.uri()).setCause(f.cause()).log("WebSocket handshake failed");
        ch.close();
        return;
      }
      p.addLast(FRAMES, frames);
      ch.config().setAutoRead(true);
    });
  }
}
