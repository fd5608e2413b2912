package io.lodge.server.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.server.tail.TailClient.Close;
import io.lodge.server.tail.TailClient.Frame;
import io.lodge.server.tail.TailClient.Value;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live tail end to end (LOKI-COMPAT 2.7): a real WebSocket client against a real in-process server
 * with the real write path. Historic entries first, live entries in order and exactly once, parameter
 * errors before the upgrade, the concurrency limit and the maximum duration as close frames, pings, and
 * a client that does not read getting {@code dropped_entries}. How fast live entries arrive is measured
 * by benchmarks, not here: waits for what must arrive are {@link #ARRIVES_MS}, so a loaded machine does
 * not fail them; short waits only check that nothing (more) comes, which a late frame cannot break.
 */
class TailApiTest {
  /** How long a test waits for frames that must arrive. */
  private static final long ARRIVES_MS = 10_000;

  @TempDir Path dir;
  private TailServer server;
  private final List<TailClient> clients = new ArrayList<>();

  private TailServer start(String limits, TailSettings settings) throws Exception {
    server = new TailServer(dir, false, limits, settings);
    return server;
  }

  @AfterEach
  void stop() {
    for (TailClient c : clients) c.abort();
    if (server != null) server.close();
  }

  private static long now() {
    Instant n = Instant.now();
    return n.getEpochSecond() * 1_000_000_000L + n.getNano();
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private TailClient tail(String pathAndQuery, Map<String, String> headers, boolean reading) throws Exception {
    TailClient c = TailClient.open(server.client, server.ws(pathAndQuery), headers, reading);
    clients.add(c);
    return c;
  }

  private static String push(String labelsJson, long ts, String line) {
    return "{\"streams\":[{\"stream\":" + labelsJson + ",\"values\":[[\"" + ts + "\",\"" + line + "\"]]}]}";
  }

  /** Frames until {@code want} values arrived or the time is up. */
  private static List<Value> collect(TailClient c, int want, long millis) throws InterruptedException {
    List<Value> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + millis;
    while (out.size() < want) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) break;
      Frame f = c.next(left);
      if (f != null) out.addAll(f.values());
    }
    return out;
  }

  @Test
  void historicEntriesFirstThenLiveEntriesInOrderExactlyOnce() throws Exception {
    start("", TailSettings.DEFAULTS);
    long base = now() - Duration.ofMinutes(5).toNanos();
    server.push(push("{\"app\":\"a\"}", base - Duration.ofHours(2).toNanos(), "before start"));
    for (int i = 0; i < 5; i++) server.push(push("{\"app\":\"a\"}", base + i * 1_000_000_000L, "old " + i));
    server.push(push("{\"app\":\"other\"}", base + 10, "not selected"));

    TailClient c = tail("/loki/api/v1/tail?limit=3&query=" + q("{app=\"a\"}"), Map.of(), true);
    List<Value> historic = collect(c, 3, ARRIVES_MS);
    assertThat(historic).extracting(Value::line).containsExactly("old 2", "old 3", "old 4");
    assertThat(historic.get(0).labels()).containsEntry("app", "a").containsEntry("service_name", "a");

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      String line = "live " + i;
      expected.add(line);
      long pushedAt = System.nanoTime();
      server.push(push("{\"app\":\"a\"}", now(), line));
      server.push(push("{\"app\":\"other\"}", now(), "other " + i));
      List<Value> got = collect(c, 1, ARRIVES_MS);
      long latencyMs = (System.nanoTime() - pushedAt) / 1_000_000;
      assertThat(got).as("entry %d after %d ms", i, latencyMs).extracting(Value::line).containsExactly(line);
    }
    // a burst: every entry, in timestamp order, once (late reads of overlapping windows send nothing twice)
    long t0 = now();
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 250; i++) {
      if (i > 0) values.append(',');
      values.append("[\"").append(t0 + i).append("\",\"burst ").append(i).append("\"]");
      expected.add("burst " + i);
    }
    server.push("{\"streams\":[{\"stream\":{\"app\":\"a\"},\"values\":[" + values + "]}]}");
    List<Value> burst = collect(c, 250, ARRIVES_MS);
    Thread.sleep(2_500); // longer than the late-entry grace: any duplicate would have arrived by now
    Frame extra;
    while ((extra = c.next(0)) != null) burst.addAll(extra.values());
    assertThat(burst).extracting(Value::line).containsExactlyElementsOf(expected.subList(15, expected.size()));
    assertThat(burst).extracting(Value::ts).isSorted();
  }

  @Test
  void aLateEntryWithinTheGraceIsSentOnce() throws Exception {
    // a grace far longer than the two pushes below take on a slow machine: the late entry stays readable
    TailSettings d = TailSettings.DEFAULTS;
    start("", new TailSettings(d.pollInterval(), d.pingInterval(), d.maxDuration(), Duration.ofSeconds(30),
        d.maxPendingBytes(), d.maxRemembered()));
    TailClient c = tail("/loki/api/v1/tail?query=" + q("{app=\"late\"}"), Map.of(), true);
    Thread.sleep(700); // the late entry below must still be newer than the tail's open time
    long t = now();
    server.push(push("{\"app\":\"late\",\"shipper\":\"fast\"}", t, "newer"));
    assertThat(collect(c, 1, ARRIVES_MS)).extracting(Value::line).containsExactly("newer");
    // a second shipper delivers an entry stamped before the one already sent
    server.push(push("{\"app\":\"late\",\"shipper\":\"slow\"}", t - 500_000_000L, "older but late"));
    assertThat(collect(c, 1, ARRIVES_MS)).extracting(Value::line).containsExactly("older but late");
    assertThat(collect(c, 1, 2_500)).as("nothing twice").isEmpty();
  }

  @Test
  void delayForHoldsEntriesBackSoThatALateOneIsSentInOrder() throws Exception {
    start("", TailSettings.DEFAULTS);
    // the longest delay Loki allows: the second push must be stored before the first is due, however slow
    // the machine
    TailClient c = tail("/loki/api/v1/tail?delay_for=5&query=" + q("{app=\"d\"}"), Map.of(), true);
    Thread.sleep(300);
    long t = now();
    server.push(push("{\"app\":\"d\",\"shipper\":\"fast\"}", t, "second"));
    server.push(push("{\"app\":\"d\",\"shipper\":\"slow\"}", t - 200_000_000L, "first"));
    List<Value> got = collect(c, 2, 5_000 + ARRIVES_MS);
    assertThat(got).extracting(Value::line).containsExactly("first", "second");
    assertThat(now() - t).as("nothing before delay_for passed").isGreaterThanOrEqualTo(5_000_000_000L);
  }

  @Test
  void parameterAndHandshakeErrorsArePlain400sBeforeTheUpgrade() throws Exception {
    start("", TailSettings.DEFAULTS);
    String sel = q("{app=\"a\"}");
    assertError("/loki/api/v1/tail?query=" + sel + "&delay_for=6", 400, "delay_for can't be greater than 5");
    assertError("/loki/api/v1/tail?query=" + sel + "&delay_for=x", 400, "strconv.Atoi: parsing \"x\": invalid syntax");
    assertError("/loki/api/v1/tail?query=" + sel + "&limit=0", 400, "limit must be a positive value");
    assertError("/loki/api/v1/tail?query=" + sel + "&start=abc", 400,
        "could not parse 'start' parameter: strconv.ParseInt: parsing \"abc\": invalid syntax");
    assertError("/loki/api/v1/tail", 400, "parse error : syntax error: unexpected $end");
    assertError("/loki/api/v1/tail?query=" + q("{app=~\".*\"}"), 400,
        "parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will");
    // valid parameters but no WebSocket handshake: gorilla's answer
    assertError("/loki/api/v1/tail?query=" + sel, 400, "Bad Request");

    // the WebSocket client sees the same refusal as a failed handshake
    try {
      tail("/loki/api/v1/tail?query=" + sel + "&delay_for=9", Map.of(), true);
      throw new AssertionError("the upgrade should have been refused");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(400);
    }
    // the server still serves tails afterwards
    TailClient ok = tail("/loki/api/v1/tail?query=" + sel, Map.of(), true);
    ok.close();
    assertThat(ok.closed.get(5, TimeUnit.SECONDS).code()).isEqualTo(1000);
  }

  private void assertError(String path, int status, String message) throws Exception {
    HttpResponse<String> r = server.get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(status);
    assertThat(r.body()).as(path).isEqualTo(message + "\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void aTenantIsRequiredWithAuthOn() throws Exception {
    server = new TailServer(dir, true, "", TailSettings.DEFAULTS);
    HttpResponse<String> r = server.get("/loki/api/v1/tail?query=" + q("{app=\"a\"}"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("no org id\n");
    TailClient c = tail("/loki/api/v1/tail?query=" + q("{app=\"a\"}"), Map.of("X-Scope-OrgID", "team-a"), true);
    long t = now();
    server.client.send(HttpRequest.newBuilder(server.http("/loki/api/v1/push"))
        .header("Content-Type", "application/json").header("X-Scope-OrgID", "team-b")
        .POST(HttpRequest.BodyPublishers.ofString(push("{\"app\":\"a\"}", t, "other tenant"))).build(),
        HttpResponse.BodyHandlers.ofString());
    server.client.send(HttpRequest.newBuilder(server.http("/loki/api/v1/push"))
        .header("Content-Type", "application/json").header("X-Scope-OrgID", "team-a")
        .POST(HttpRequest.BodyPublishers.ofString(push("{\"app\":\"a\"}", t + 1, "own tenant"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(collect(c, 1, ARRIVES_MS)).extracting(Value::line).containsExactly("own tenant");
    assertThat(collect(c, 1, 1_500)).as("nothing of the other tenant").isEmpty();
  }

  @Test
  void theConcurrencyLimitClosesWith1011AndAClosedTailFreesItsSlot() throws Exception {
    start("max_concurrent_tail_requests: 2", TailSettings.DEFAULTS);
    String path = "/loki/api/v1/tail?query=" + q("{app=\"a\"}");
    TailClient first = tail(path, Map.of(), true);
    tail(path, Map.of(), true);
    TailClient third = tail(path, Map.of(), true);
    Close refused = third.closed.get(5, TimeUnit.SECONDS);
    assertThat(refused.code()).isEqualTo(1011);
    assertThat(refused.reason()).isEqualTo("max concurrent tail requests limit exceeded, count > limit (3 > 2)");

    first.close();
    assertThat(first.closed.get(5, TimeUnit.SECONDS).code()).as("the server echoes the close").isEqualTo(1000);
    long deadline = System.currentTimeMillis() + 5_000;
    while (server.tails.activeTails("fake") != 1 && System.currentTimeMillis() < deadline) Thread.sleep(10);
    assertThat(server.tails.activeTails("fake")).isEqualTo(1);
    TailClient again = tail(path, Map.of(), true);
    assertThat(again.closed.isDone()).isFalse();
    server.push(push("{\"app\":\"a\"}", now(), "after a slot freed"));
    assertThat(collect(again, 1, ARRIVES_MS)).extracting(Value::line).containsExactly("after a slot freed");
  }

  @Test
  void theServerPingsEverySecondAndEndsATailAtTheMaximumDuration() throws Exception {
    start("", TailSettings.DEFAULTS.withMaxDuration(Duration.ofMillis(2_600)));
    TailClient c = tail("/loki/api/v1/tail?query=" + q("{app=\"a\"}"), Map.of(), true);
    Close close = c.closed.get(10, TimeUnit.SECONDS);
    assertThat(close.code()).isEqualTo(1011);
    assertThat(close.reason()).isEqualTo("reached tail max duration limit");
    assertThat(c.pings.get()).isBetween(2, 3);
    long deadline = System.currentTimeMillis() + 5_000;
    while (server.tails.activeTails("fake") != 0 && System.currentTimeMillis() < deadline) Thread.sleep(10);
    assertThat(server.tails.activeTails("fake")).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void categorizeLabelsSeparatesStreamLabelsFromMetadata() throws Exception {
    start("", TailSettings.DEFAULTS);
    String path = "/loki/api/v1/tail?query=" + q("{app=\"cat\"}");
    TailClient plain = tail(path, Map.of(), true);
    TailClient categorized = tail(path, Map.of("X-Loki-Response-Encoding-Flags", "categorize-labels"), true);
    server.push("{\"streams\":[{\"stream\":{\"app\":\"cat\"},\"values\":[[\"" + now()
        + "\",\"with <meta>\",{\"trace_id\":\"abc\"}]]}]}");
    Frame p = nextWithValues(plain);
    assertThat(p.values().get(0).labels()).containsEntry("trace_id", "abc").containsEntry("app", "cat");
    assertThat(p.values().get(0).categories()).isNull();
    assertThat(p.flags()).isNull();
    assertThat(p.raw()).contains("with \\u003cmeta\\u003e");
    Frame c = nextWithValues(categorized);
    assertThat(c.values().get(0).labels()).containsEntry("app", "cat").doesNotContainKey("trace_id");
    assertThat(c.values().get(0).categories()).containsOnlyKeys("structuredMetadata");
    assertThat((Map<Object, Object>) c.values().get(0).categories().get("structuredMetadata")).containsEntry("trace_id", "abc")
        .doesNotContainKey("app");
    assertThat(c.flags()).containsExactly("categorize-labels");
  }

  @Test
  void theLegacyPathSpeaksTheLegacyShape() throws Exception {
    start("", TailSettings.DEFAULTS);
    long ts = (now() / 1_000_000_000L - 60) * 1_000_000_000L + 120_000_000L;
    server.push(push("{\"app\":\"legacy\"}", ts, "x"));
    TailClient c = tail("/api/prom/tail?query=" + q("{app=\"legacy\"}"), Map.of(), true);
    Frame f = c.next(ARRIVES_MS);
    assertThat(f).isNotNull();
    String time = TailFrames.rfc3339Nano(ts);
    assertThat(time).endsWith(".12Z");
    assertThat(f.raw()).isEqualTo("{\"streams\":[{\"labels\":\"{app=\\\"legacy\\\", detected_level=\\\"unknown\\\", service_name=\\\"legacy\\\"}\","
        + "\"entries\":[{\"ts\":\"" + time + "\",\"line\":\"x\"}]}]}");
  }

  private static Frame nextWithValues(TailClient c) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ARRIVES_MS;
    while (System.currentTimeMillis() < deadline) {
      Frame f = c.next(deadline - System.currentTimeMillis());
      if (f != null && !f.values().isEmpty()) return f;
    }
    throw new AssertionError("no entries within " + ARRIVES_MS + " ms");
  }

  @Test
  void aClientThatDoesNotReadGetsDroppedEntriesNotUnboundedBuffering() throws Exception {
    start("", TailSettings.DEFAULTS.withMaxPendingBytes(64 * 1024));
    TailClient slow = tail("/loki/api/v1/tail?query=" + q("{app=\"flood\"}"), Map.of(), false);
    String pad = "x".repeat(2_000);
    int total = 0;
    for (int batch = 0; batch < 16; batch++) {
      StringBuilder values = new StringBuilder();
      long t0 = now(); // fresh stamps: every batch is read live, none arrives later than the grace
      for (int i = 0; i < 400; i++) {
        if (i > 0) values.append(',');
        values.append("[\"").append(t0 + i).append("\",\"").append(total).append(' ').append(pad).append("\"]");
        total++;
      }
      server.push("{\"streams\":[{\"stream\":{\"app\":\"flood\"},\"values\":[" + values + "]}]}");
    }
    Thread.sleep(1_500); // the tail reads all of it while the client reads nothing
    slow.startReading();
    List<Value> got = new ArrayList<>();
    List<TailClient.Dropped> dropped = new ArrayList<>();
    Frame f;
    while ((f = slow.next(1_500)) != null) {
      got.addAll(f.values());
      assertThat(f.dropped()).as("drops per message").hasSizeLessThanOrEqualTo(TailSettings.MAX_DROPPED);
      dropped.addAll(f.dropped());
    }
    // the tail goes on for a client that caught up; on a slow machine frames of the flood may still come first
    server.push(push("{\"app\":\"flood\"}", now(), "after the flood"));
    long deadline = System.currentTimeMillis() + ARRIVES_MS;
    boolean after = false;
    while (!after && (f = slow.next(Math.max(1, deadline - System.currentTimeMillis()))) != null) {
      for (Value v : f.values()) {
        if (v.line().equals("after the flood")) after = true;
        else got.add(v);
      }
      dropped.addAll(f.dropped());
    }
    assertThat(after).as("the entry pushed after the flood arrived").isTrue();
    assertThat(got.size()).as("entries received").isLessThan(total);
    assertThat(dropped).as("drops reported").isNotEmpty();
    assertThat(dropped.get(0).labels()).containsEntry("app", "flood");
    Set<Long> sent = new HashSet<>();
    for (Value v : got) assertThat(sent.add(v.ts())).as("sent once: %s", v.ts()).isTrue();
    for (TailClient.Dropped d : dropped) assertThat(sent).as("a dropped entry was not sent").doesNotContain(d.ts());
    assertThat(got).extracting(Value::ts).isSorted();
  }
}
