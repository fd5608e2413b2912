package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator's HTTP/1.1 connection against the JDK's own HTTP server: the request arrives
 * whole with its headers, one connection carries many requests, and Content-Length, chunked and empty
 * answers, a server that closes the connection and one that is not there all come out right.
 */
class PushConnectionTest {
  private HttpServer server;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final List<String> tenants = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/push", ex -> answer(ex, 204, null));
    server.createContext("/bad", ex -> answer(ex, 400, "entry too far behind"));
    server.createContext("/chunked", ex -> {
      record(ex);
      ex.sendResponseHeaders(500, 0); // length 0 = chunked
      try (OutputStream out = ex.getResponseBody()) {
        out.write("part one, ".getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.write("part two".getBytes(StandardCharsets.UTF_8));
      }
    });
    server.createContext("/close", ex -> {
      ex.getResponseHeaders().set("Connection", "close");
      answer(ex, 204, null);
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void record(HttpExchange ex) throws IOException {
    bodies.add(ex.getRequestBody().readAllBytes());
    tenants.add(ex.getRequestHeaders().getFirst("X-Scope-OrgID"));
    contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type"));
    clientPorts.add(ex.getRemoteAddress().getPort());
  }

  private void answer(HttpExchange ex, int status, String body) throws IOException {
    record(ex);
    byte[] b = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b == null ? -1 : b.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (b != null) out.write(b);
    }
  }

  private PushConnection connection(String path, String tenant) {
    return new PushConnection(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), "application/x-protobuf",
        tenant, Duration.ofSeconds(10));
  }

  @Test
  void manyRequestsGoOverOneConnectionAndArriveWhole() throws IOException {
    try (PushConnection c = connection("/push", "team-a")) {
      for (int i = 0; i < 20; i++) {
        byte[] body = new byte[1000 + i * 5000];
        for (int k = 0; k < body.length; k++) body[k] = (byte) (k * 31 + i);
        assertThat(c.post(body)).isEqualTo(new PushConnection.Answer(204, ""));
        assertThat(bodies.get(i)).isEqualTo(body);
      }
    }
    assertThat(clientPorts).hasSize(1);
    assertThat(tenants).containsOnly("team-a");
    assertThat(contentTypes).containsOnly("application/x-protobuf");
  }

  @Test
  void errorBodiesAreReadWithContentLengthOrChunked() throws IOException {
    try (PushConnection bad = connection("/bad", null); PushConnection chunked = connection("/chunked", "")) {
      assertThat(bad.post(new byte[] {1, 2, 3})).isEqualTo(new PushConnection.Answer(400, "entry too far behind"));
      assertThat(bad.post(new byte[] {4})).isEqualTo(new PushConnection.Answer(400, "entry too far behind"));
      assertThat(chunked.post(new byte[] {5})).isEqualTo(new PushConnection.Answer(500, "part one, part two"));
      assertThat(chunked.post(new byte[] {6})).isEqualTo(new PushConnection.Answer(500, "part one, part two"));
    }
    assertThat(tenants).containsOnlyNulls();
    assertThat(clientPorts).hasSize(2); // each connection kept alive across its two requests
  }

  @Test
  void aServerThatClosesTheConnectionGetsANewOneForTheNextRequest() throws IOException {
    try (PushConnection c = connection("/close", null)) {
      for (int i = 0; i < 3; i++) assertThat(c.post(new byte[] {(byte) i}).status()).isEqualTo(204);
    }
    assertThat(clientPorts).hasSize(3);
  }

  @Test
  void anAbsentServerIsAnIoErrorAndTheConnectionCanTryAgain() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (PushConnection c = new PushConnection(URI.create("http://127.0.0.1:" + port + "/push"), "application/x-protobuf", null,
        Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> c.post(new byte[] {1})).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> c.post(new byte[] {1})).isInstanceOf(IOException.class);
    }
  }

  @Test
  void onlyHttpUrlsAreAccepted() {
    assertThatThrownBy(() -> new PushConnection(URI.create("ftp://127.0.0.1/push"), "application/x-protobuf", null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
  }

  /**
   * A one-connection TCP peer that reads each request (head and Content-Length body) and writes the next
   * scripted answer, byte for byte, then closes when the script is done: for the answers the JDK's server
   * does not send.
   */
  private static int scripted(String... answers) throws IOException {
    ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().start(() -> {
      try (listener; java.net.Socket s = listener.accept()) {
        java.io.InputStream in = s.getInputStream();
        for (String answer : answers) {
          String head = "";
          while (!head.endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) return;
            head += (char) c;
          }
          int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
          in.readNBytes(length);
          s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
          s.getOutputStream().flush();
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    return listener.getLocalPort();
  }

  private static PushConnection to(int port) {
    return new PushConnection(URI.create("http://127.0.0.1:" + port + "/push"), "application/x-protobuf", null, Duration.ofSeconds(5));
  }

  @Test
  void informationalAnswersTrailersAndClosedBodiesAreRead() throws IOException {
    int port = scripted(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
        "HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nslow \r\n4\r\ndown\r\n0\r\nX-Trailer: t\r\n\r\n",
        "HTTP/1.0 500 Internal Server Error\r\n\r\nno length, ends with the connection");
    try (PushConnection c = to(port)) {
      assertThat(c.post(new byte[] {1})).isEqualTo(new PushConnection.Answer(204, ""));
      assertThat(c.post(new byte[] {2})).isEqualTo(new PushConnection.Answer(429, "slow down"));
      assertThat(c.post(new byte[] {3})).isEqualTo(new PushConnection.Answer(500, "no length, ends with the connection"));
    }
  }

  @Test
  void malformedAnswersAreIoErrorsNotCrashes() throws IOException {
    for (String answer : new String[] {
        "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "SSH-2.0-OpenSSH\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"}) {
      try (PushConnection c = to(scripted(answer))) {
        assertThatThrownBy(() -> c.post(new byte[] {1})).as(answer).isInstanceOf(IOException.class);
      }
    }
  }
}
