package io.lodge.bench.query;

import io.lodge.bench.load.IngestRun;
import io.lodge.bench.load.LoghubLines;
import io.lodge.bench.load.PushBody;
import io.lodge.bench.load.PushBodyGenerator;
import io.lodge.proto.logproto.EntryAdapter;
import io.lodge.proto.logproto.PushRequest;
import io.lodge.proto.logproto.StreamAdapter;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;

/**
 * Loads a query dataset through the push API: {@code lines} generated loghub entries over {@code streams}
 * streams (labels as the ingest load generator's), then one needle line carrying a token that occurs
 * nowhere else, so a needle search has exactly one answer.
 */
final class DatasetLoader {
  private final URI base;
  private final String tenant;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  DatasetLoader(URI base, String tenant) {
    this.base = base;
    this.tenant = tenant;
  }

  /** Pushes the dataset over two connections and returns its line bytes; throws on the first refused push. */
  long load(LoghubLines data, int streams, long lines, long seed) throws IOException, InterruptedException {
    String[] labels = new String[streams];
    int[] systems = new int[streams];
    for (int i = 0; i < streams; i++) {
      labels[i] = IngestRun.streamLabels(data, i);
      systems[i] = i % data.systemCount();
    }
    PushBodyGenerator gen = new PushBodyGenerator(data, labels, systems, 1000, Math.min(10, streams), seed,
        () -> { Instant n = Instant.now(); return n.getEpochSecond() * 1_000_000_000L + n.getNano(); });
    AtomicLong remaining = new AtomicLong(lines);
    AtomicLong lineBytes = new AtomicLong();
    List<Thread> senders = new ArrayList<>();
    List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < 2; c++) {
      senders.add(Thread.ofPlatform().start(() -> {
        try {
          while (remaining.getAndAdd(-1000) > 0) {
            PushBody b;
            synchronized (gen) {
              b = gen.next();
            }
            post(b.body());
            lineBytes.addAndGet(b.lineBytes());
          }
        } catch (IOException | InterruptedException | RuntimeException e) {
          failures.add(e);
        }
      }));
    }
    for (Thread t : senders) t.join();
    if (!failures.isEmpty()) throw new IOException("loading the dataset failed: " + failures.get(0).getMessage(), failures.get(0));
    return lineBytes.get();
  }

  /** {@code POST /flush}: the server writes everything it holds to chunks before answering. */
  void flush() throws IOException, InterruptedException {
    HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/flush")).timeout(Duration.ofMinutes(10))
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) throw new IOException("POST /flush answered " + resp.statusCode() + ": " + resp.body().strip());
  }

  /** Pushes one line holding {@code token} into stream 0 at the current time. */
  void pushNeedle(LoghubLines data, String token) throws IOException, InterruptedException {
    Instant now = Instant.now();
    PushRequest req = PushRequest.newBuilder().addStreams(StreamAdapter.newBuilder()
        .setLabels(IngestRun.streamLabels(data, 0))
        .addEntries(EntryAdapter.newBuilder()
            .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .setLine("the needle is " + token + " and nothing else")))
        .build();
    post(Snappy.compress(req.toByteArray()));
  }

  private void post(byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/loki/api/v1/push")).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (tenant != null) b.header("X-Scope-OrgID", tenant);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) throw new IOException("push answered " + r.statusCode() + ": " + r.body().strip());
  }
}
