package io.lodge.server.tail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tail client over the JDK's WebSocket ({@code java.net.http}): collects text frames (parsed), pings
 * and the close. A client that is not {@code reading} asks for no messages at all, so the JDK stops
 * reading the socket and the server sees a slow consumer.
 */
final class TailClient implements WebSocket.Listener {
  private static final JsonFactory JSON = new JsonFactory();

  record Close(int code, String reason) {}

  record Value(long ts, String line, Map<String, Object> labels, Map<String, Object> categories) {}

  record Dropped(long ts, Map<String, Object> labels) {}

  record Frame(String raw, List<Value> values, List<Dropped> dropped, List<Object> flags) {}

  final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  final AtomicInteger pings = new AtomicInteger();
  final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean reading;
  private volatile WebSocket ws;

  private TailClient(boolean reading) {
    this.reading = reading;
  }

  static TailClient open(HttpClient http, URI uri, Map<String, String> headers, boolean reading) throws Exception {
    TailClient c = new TailClient(reading);
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    headers.forEach(b::header);
    c.ws = b.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
    return c;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    ws = webSocket;
    if (reading) webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(parse(partial.toString()));
      partial.setLength(0);
    }
    if (reading) webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    pings.incrementAndGet();
    if (reading) webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  /** Starts consuming (for a client opened with {@code reading} false). */
  void startReading() {
    reading = true;
    ws.request(1);
  }

  /** Sends a normal close (1000). */
  void close() {
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }

  void abort() {
    ws.abort();
  }

  /** The next frame, or null after {@code millis}. */
  Frame next(long millis) throws InterruptedException {
    return frames.poll(millis, TimeUnit.MILLISECONDS);
  }

  @SuppressWarnings("unchecked")
  static Frame parse(String raw) {
    Map<String, Object> root;
    try (JsonParser p = JSON.createParser(raw)) {
      p.nextToken();
      root = (Map<String, Object>) read(p);
    } catch (IOException e) {
      throw new UncheckedIOException("bad frame " + raw, e);
    }
    List<Value> values = new ArrayList<>();
    for (Object s : (List<Object>) root.get("streams")) {
      Map<String, Object> stream = (Map<String, Object>) s;
      if (!stream.containsKey("values")) continue; // the legacy shape: tests read the raw text
      for (Object v : (List<Object>) stream.get("values")) {
        List<Object> e = (List<Object>) v;
        values.add(new Value(Long.parseLong((String) e.get(0)), (String) e.get(1),
            (Map<String, Object>) stream.get("stream"), e.size() > 2 ? (Map<String, Object>) e.get(2) : null));
      }
    }
    List<Dropped> dropped = new ArrayList<>();
    Object d = root.get("dropped_entries");
    if (d != null) {
      for (Object o : (List<Object>) d) {
        Map<String, Object> m = (Map<String, Object>) o;
        if (m.get("labels") instanceof Map<?, ?> labels) {
          dropped.add(new Dropped(Long.parseLong((String) m.get("timestamp")), (Map<String, Object>) labels));
        }
      }
    }
    return new Frame(raw, values, dropped, (List<Object>) root.get("encodingFlags"));
  }

  private static Object read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          m.put(name, read(p));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p));
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> {
        return p.getText();
      }
    }
  }
}
