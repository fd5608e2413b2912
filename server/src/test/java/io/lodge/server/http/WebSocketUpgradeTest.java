package io.lodge.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's WebSocket seam on its own ({@link Request#upgradeToWebSocket}): a handler that
 * accepts gets the connection's frames after a real RFC 6455 handshake, the connection stops counting
 * as a request in flight, a plain request to the same route gets gorilla's 400, and a handler that
 * answers normally keeps plain HTTP.
 */
class WebSocketUpgradeTest {
  private TestServer t;

  /** Echoes text frames back upper-cased. */
  private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      ctx.writeAndFlush(new TextWebSocketFrame(frame.text().toUpperCase(Locale.ROOT)));
    }
  }

  @BeforeEach
  void start() throws Exception {
    Router router = new Router();
    router.get("/ws", r -> CompletableFuture.supplyAsync(() -> "yes".equals(r.param("ok"))
        ? r.upgradeToWebSocket(new Echo()) : Response.error(400, "not ok")));
    router.get("/plain", r -> CompletableFuture.completedFuture(Response.text(200, "plain")));
    t = new TestServer(router);
  }

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void anAcceptedUpgradeHandsTheFramesToTheHandler() throws Exception {
    LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
    WebSocket ws = t.client.newWebSocketBuilder().buildAsync(
        URI.create("ws://127.0.0.1:" + t.server.port() + "/ws?ok=yes"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            got.add(data.toString());
            w.request(1);
            return null;
          }
        }).get(5, TimeUnit.SECONDS);
    ws.request(1);
    ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
    assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("HELLO");
    assertThat(t.server.requestsInFlight()).as("an open WebSocket is no request in flight").isZero();
    // the same server still serves plain HTTP on other connections
    assertThat(t.get("/plain").body()).isEqualTo("plain");
    ws.abort();
  }

  @Test
  void refusalsStayPlainHttp() throws Exception {
    HttpResponse<String> r = t.get("/ws?ok=yes");
    assertThat(r.statusCode()).as("no Upgrade header").isEqualTo(400);
    assertThat(r.body()).isEqualTo("Bad Request\n");
    assertThat(r.headers().firstValue("Sec-Websocket-Version")).hasValue("13");
    r = t.get("/ws?ok=no");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("not ok\n");
    // the connection is still usable after a refused handshake answered by the handler
    assertThat(t.get("/plain").statusCode()).isEqualTo(200);
    long deadline = System.currentTimeMillis() + 2_000; // counted down once the response is flushed
    while (t.server.requestsInFlight() != 0 && System.currentTimeMillis() < deadline) Thread.sleep(5);
    assertThat(t.server.requestsInFlight()).isZero();
  }

  @Test
  void closingTheServerClosesOpenWebSockets() throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    t.client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + t.server.port() + "/ws?ok=yes"),
        new WebSocket.Listener() {
          @Override
          public void onError(WebSocket w, Throwable error) {
            closed.complete(null);
          }

          @Override
          public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            closed.complete(null);
            return null;
          }
        }).get(5, TimeUnit.SECONDS);
    long start = System.nanoTime();
    t.server.close(Duration.ofSeconds(60)); // a drain bound far above the assertion's
    closed.get(30, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close does not wait for the socket").isLessThan(Duration.ofSeconds(30));
  }
}
