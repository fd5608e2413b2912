package io.lodge.server.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.config.ConfigLoader;
import io.lodge.config.LodgeConfig;
import io.lodge.server.LodgeServer;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syslog receiver end to end: the system's own {@code logger} (util-linux) sends RFC 5424 and RFC
 * 3164 over TCP (LF and octet-counted framing) and UDP to a real {@link SyslogServer} in front of a
 * real in-process {@link LodgeServer}; {@code query_range} must then show exactly those lines with
 * the mapped labels and the structured data as metadata.
 */
class SyslogServerTest {
  private static final long HOUR = Duration.ofHours(1).toNanos();

  @TempDir Path dir;
  private LodgeServer lodge;
  private SyslogServer syslog;

  /** A real Lodge with its syslog receiver switched on through the YAML config, on ephemeral ports. */
  private void start(boolean useIncomingTimestamp, String zone) throws Exception {
    String yaml = """
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        syslog:
          enabled: true
          listen_address: 127.0.0.1
          tcp_listen_port: 0
          udp_listen_port: 0
          max_message_length: 8192
          idle_timeout: 30s
          use_incoming_timestamp: %s
          timezone: %s
          static_labels: [job=syslog]
          batch_wait: 20ms
        """.formatted(dir.resolve("data"), useIncomingTimestamp, zone);
    LodgeConfig lodgeConfig = ConfigLoader.fromYaml(yaml, "test.yaml").config();
    lodge = new LodgeServer(lodgeConfig);
    lodge.start();
    syslog = lodge.syslog();
  }

  @AfterEach
  void stop() {
    if (lodge != null) lodge.close();
  }

  private static String hostname() throws Exception {
    return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
  }

  private static void logger(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("logger"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("logger finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("logger " + cmd + ": " + out).isZero();
  }

  /** Polls query_range until {@code n} lines match, then returns the streams. */
  private List<QueryRange.Stream> await(String query, int n) throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<QueryRange.Stream> streams = QueryRange.query(lodge.httpPort(), query, now - 2 * HOUR, now + HOUR);
      if (QueryRange.lines(streams).size() >= n || System.nanoTime() > deadline) return streams;
      Thread.sleep(20);
    }
  }

  @Test
  void loggerRfc5424OverTcpAndUdpIsStoredWithPromtailStyleLabels() throws Exception {
    start(false, "UTC");
    String port = Integer.toString(syslog.tcpPort());
    logger("-n", "127.0.0.1", "-P", port, "-T", "--rfc5424", "--msgid", "ID47", "--sd-id", "origin@32473",
        "--sd-param", "ip=\"10.0.0.1\"", "-t", "billing", "-p", "local3.warning", "charge declined for order 17");
    logger("-n", "127.0.0.1", "-P", port, "-T", "--octet-count", "--rfc5424", "-t", "billing", "-p", "local3.warning",
        "octet counted frame");
    logger("-n", "127.0.0.1", "-P", Integer.toString(syslog.udpPort()), "-d", "--rfc5424", "-t", "billing",
        "-p", "local3.warning", "over udp");

    List<QueryRange.Stream> streams = await("{app=\"billing\"}", 3);
    assertThat(QueryRange.lines(streams))
        .containsExactlyInAnyOrder("charge declined for order 17", "octet counted frame", "over udp");
    for (QueryRange.Stream s : streams) {
      assertThat(s.labels()).containsEntry("app", "billing").containsEntry("host", hostname())
          .containsEntry("severity", "warning").containsEntry("facility", "local3").containsEntry("job", "syslog");
      assertThat(s.labels().keySet()).noneMatch(k -> k.startsWith("__")).doesNotContain("msg_id", "proc_id");
      // logger always adds RFC 5424's timeQuality element: it is metadata too
      assertThat(s.labels()).containsEntry("timeQuality_tzKnown", "1");
    }
    QueryRange.Stream withSd = streams.stream().filter(s -> s.labels().containsKey("origin_32473_ip")).findFirst()
        .orElseThrow();
    assertThat(withSd.labels()).containsEntry("origin_32473_ip", "10.0.0.1");
    assertThat(QueryRange.lines(List.of(withSd))).containsExactly("charge declined for order 17");
    // metadata is not a stream label: a selector on it matches nothing
    long now = System.currentTimeMillis() * 1_000_000L;
    assertThat(QueryRange.query(lodge.httpPort(), "{origin_32473_ip=\"10.0.0.1\"}", now - HOUR, now + HOUR)).isEmpty();
    assertThat(syslog.metrics().receivedCount(SyslogMetrics.TCP)).isEqualTo(2);
    assertThat(syslog.metrics().receivedCount(SyslogMetrics.UDP)).isEqualTo(1);
  }

  @Test
  void loggerRfc3164OverTcpAndUdpIsStored() throws Exception {
    start(false, "UTC");
    logger("-n", "127.0.0.1", "-P", Integer.toString(syslog.tcpPort()), "-T", "--rfc3164", "-i", "-t", "sshd",
        "-p", "auth.err", "Failed password for root from 10.1.2.3 port 22");
    logger("-n", "127.0.0.1", "-P", Integer.toString(syslog.udpPort()), "-d", "--rfc3164", "-t", "sshd",
        "-p", "auth.err", "Accepted publickey for alice");
    List<QueryRange.Stream> streams = await("{app=\"sshd\"}", 2);
    assertThat(QueryRange.lines(streams))
        .containsExactlyInAnyOrder("Failed password for root from 10.1.2.3 port 22", "Accepted publickey for alice");
    for (QueryRange.Stream s : streams) {
      assertThat(s.labels()).containsEntry("host", hostname().split("\\.")[0]).containsEntry("severity", "error")
          .containsEntry("facility", "auth");
    }
  }

  @Test
  void incomingTimestampsAreUsedWhenConfigured() throws Exception {
    ZoneId zone = ZoneId.of("Asia/Kolkata"); // +05:30: a wrong zone would show as a 5.5 h shift
    start(true, zone.getId());
    LocalDateTime local = LocalDateTime.now(zone).minusMinutes(30).withNano(0);
    String stamp = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT).format(local);
    long expected3164 = local.atZone(zone).toInstant().getEpochSecond() * 1_000_000_000L;
    long expected5424 = expected3164 - Duration.ofMinutes(5).toNanos() + 123_456_000L;
    String rfc3339 = java.time.Instant.ofEpochSecond(0, expected5424).atOffset(java.time.ZoneOffset.ofHours(-3))
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    try (Socket s = new Socket("127.0.0.1", syslog.tcpPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("<14>" + stamp + " web01 nginx[42]: GET /index.html 200\n").getBytes(StandardCharsets.UTF_8));
      String m = "<14>1 " + rfc3339 + " web01 nginx 42 - - GET /about 404";
      out.write((m.getBytes(StandardCharsets.UTF_8).length + " " + m).getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    List<QueryRange.Stream> streams = await("{app=\"nginx\"}", 2);
    List<QueryRange.Entry> entries = streams.stream().flatMap(s -> s.entries().stream()).toList();
    assertThat(entries).containsExactlyInAnyOrder(new QueryRange.Entry(expected3164, "GET /index.html 200"),
        new QueryRange.Entry(expected5424, "GET /about 404"));
    assertThat(streams.get(0).labels()).containsEntry("host", "web01").containsEntry("severity", "informational");
  }

  @Test
  void malformedFramesAreCountedAndTheConnectionSurvives() throws Exception {
    start(false, "UTC");
    try (Socket s = new Socket("127.0.0.1", syslog.tcpPort())) {
      OutputStream out = s.getOutputStream();
      out.write("no priority at all\n".getBytes(StandardCharsets.UTF_8));
      out.write("<999>1 - - - - - - priority out of range\n".getBytes(StandardCharsets.UTF_8));
      out.write("<13>1 2026-13-45T00:00:00Z h a - - - bad date\n".getBytes(StandardCharsets.UTF_8));
      out.write("<13>1 - h a - - [unclosed x=\"1\" broken sd\n".getBytes(StandardCharsets.UTF_8));
      out.write(("9000 " + "x".repeat(9000)).getBytes(StandardCharsets.UTF_8)); // over the 8192 limit: skipped
      out.write("<13>1 - h survivor - - - still alive\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      List<QueryRange.Stream> streams = await("{app=\"survivor\"}", 1);
      assertThat(QueryRange.lines(streams)).containsExactly("still alive");
      out.write("<13>1 - h survivor - - - and again\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(QueryRange.lines(await("{app=\"survivor\"}", 2))).containsExactlyInAnyOrder("still alive", "and again");
    }
    try (DatagramSocket udp = new DatagramSocket()) {
      byte[] bad = "<200>garbage".getBytes(StandardCharsets.UTF_8);
      udp.send(new DatagramPacket(bad, bad.length, InetAddress.getLoopbackAddress(), syslog.udpPort()));
      byte[] good = "<13>1 - h survivor - - - via udp".getBytes(StandardCharsets.UTF_8);
      udp.send(new DatagramPacket(good, good.length, InetAddress.getLoopbackAddress(), syslog.udpPort()));
    }
    assertThat(QueryRange.lines(await("{app=\"survivor\"}", 3))).contains("via udp");
    assertThat(syslog.metrics().invalidCount(SyslogMetrics.TCP)).isEqualTo(5);
    assertThat(syslog.metrics().invalidCount(SyslogMetrics.UDP)).isEqualTo(1);
    String metrics = new String(java.net.URI.create("http://127.0.0.1:" + lodge.httpPort() + "/metrics").toURL()
        .openStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(metrics).contains("lodge_syslog_invalid_messages_total{transport=\"tcp\"} 5");
  }
}
