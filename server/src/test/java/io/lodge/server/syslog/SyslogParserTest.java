package io.lodge.server.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.server.syslog.SyslogMessage.Format;
import io.lodge.server.syslog.SyslogMessage.SdElement;
import io.lodge.server.syslog.SyslogMessage.SdParam;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** RFC 5424 and RFC 3164 parsing: the RFCs' own examples, what logger(1) sends, and a round-trip oracle. */
class SyslogParserTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final SyslogParser UTC = new SyslogParser(ZoneOffset.UTC, Clock.fixed(NOW, ZoneOffset.UTC));

  private static SyslogMessage parse(SyslogParser p, String s) throws SyslogParseException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return p.parse(b, 0, b.length);
  }

  private static long nanos(String rfc3339) {
    Instant t = OffsetDateTime.parse(rfc3339).toInstant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  @Test
  void rfc5424Examples() throws Exception {
    SyslogMessage m = parse(UTC, "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed");
    assertThat(m).isEqualTo(new SyslogMessage(Format.RFC5424, 4, 2, nanos("2003-10-11T22:14:15.003Z"),
        "mymachine.example.com", "su", null, "ID47", List.of(), "'su root' failed"));

    m = parse(UTC, "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.");
    assertThat(m.timestampNanos()).isEqualTo(nanos("2003-08-24T05:14:15.000003-07:00"));
    assertThat(m.procId()).isEqualTo("8710");
    assertThat(m.facility()).isEqualTo(20);
    assertThat(m.severity()).isEqualTo(5);
    assertThat(m.message()).isEqualTo("%% It's time to make the do-nuts.");

    m = parse(UTC, "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\""
        + " eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]");
    assertThat(m.structuredData()).containsExactly(
        new SdElement("exampleSDID@32473", List.of(new SdParam("iut", "3"), new SdParam("eventSource", "Application"),
            new SdParam("eventID", "1011"))),
        new SdElement("examplePriority@32473", List.of(new SdParam("class", "high"))));
    assertThat(m.message()).isEmpty();

    m = parse(UTC, "<13>1 - - - - - [a x=\"q\\\"uote \\\\ \\] \\n\"] msg\r\n");
    assertThat(m.hasTimestamp()).isFalse();
    assertThat(m.hostname()).isNull();
    assertThat(m.structuredData().get(0).params()).containsExactly(new SdParam("x", "q\"uote \\ ] \\n"));
    assertThat(m.message()).isEqualTo("msg");
  }

  @Test
  void rfc3164AsLoggerAndDaemonsSendIt() throws Exception {
    SyslogMessage m = parse(UTC, "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8");
    assertThat(m).isEqualTo(new SyslogMessage(Format.RFC3164, 4, 2, nanos("2026-10-11T22:14:15Z"), "mymachine", "su",
        null, null, List.of(), "'su root' failed for lonvick on /dev/pts/8"));

    m = parse(UTC, "<13>Nov  6 02:36:29 vm myapp[12314]: hello 3164 tcp\n");
    assertThat(m.timestampNanos()).isEqualTo(nanos("2026-11-06T02:36:29Z"));
    assertThat(m.hostname()).isEqualTo("vm");
    assertThat(m.appName()).isEqualTo("myapp");
    assertThat(m.procId()).isEqualTo("12314");
    assertThat(m.message()).isEqualTo("hello 3164 tcp");

    m = parse(UTC, "<13>Nov 26 02:36:29 sshd[7]: no hostname here");
    assertThat(m.hostname()).isNull();
    assertThat(m.appName()).isEqualTo("sshd");
    assertThat(m.message()).isEqualTo("no hostname here");

    m = parse(UTC, "<13>Nov 26 02:36:29 host just a message without tag");
    assertThat(m.hostname()).isEqualTo("host");
    assertThat(m.appName()).isNull();
    assertThat(m.message()).isEqualTo("just a message without tag");

    // rsyslog's forward format: an RFC 3339 timestamp in a 3164 header
    m = parse(UTC, "<30>2026-11-26T10:00:00.5+01:00 web01 nginx: up");
    assertThat(m.timestampNanos()).isEqualTo(nanos("2026-11-26T09:00:00.5Z"));
    assertThat(m.appName()).isEqualTo("nginx");

    // no timestamp at all: RFC 3164 says the whole rest is the message
    m = parse(UTC, "<13>some device chatter");
    assertThat(m.hasTimestamp()).isFalse();
    assertThat(m.message()).isEqualTo("some device chatter");
  }

  @Test
  void rfc3164TimesAreInTheConfiguredZoneAndNeverADayAhead() throws Exception {
    ZoneId kolkata = ZoneId.of("Asia/Kolkata");
    SyslogParser p = new SyslogParser(kolkata, Clock.fixed(NOW, ZoneOffset.UTC));
    SyslogMessage m = parse(p, "<13>Nov 26 17:00:00 h a: x");
    assertThat(m.timestampNanos()).isEqualTo(nanos("2026-11-26T11:30:00Z"));
    // a December timestamp received in late November is from last year
    m = parse(p, "<13>Dec 31 23:59:59 h a: x");
    assertThat(m.timestampNanos()).isEqualTo(nanos("2025-12-31T23:59:59+05:30"));
  }

  @Test
  void malformedMessagesSayWhatWasExpected() {
    assertThatThrownBy(() -> parse(UTC, "")).hasMessageContaining("empty message");
    assertThatThrownBy(() -> parse(UTC, "hello")).hasMessageContaining("expected '<'");
    assertThatThrownBy(() -> parse(UTC, "<192>x")).hasMessageContaining("0..191, got 192");
    assertThatThrownBy(() -> parse(UTC, "<13")).hasMessageContaining("expected '>'");
    assertThatThrownBy(() -> parse(UTC, "<13>1 2003-10-11 h a p m - x")).hasMessageContaining("RFC 3339");
    assertThatThrownBy(() -> parse(UTC, "<13>1 2003-02-30T00:00:00Z h a p m - x")).hasMessageContaining("invalid date");
    assertThatThrownBy(() -> parse(UTC, "<13>1 - h a p m [id x=\"1 x")).hasMessageContaining("close a structured data value");
    assertThatThrownBy(() -> parse(UTC, "<13>1 - h a p m [id x=\"1\" y")).hasMessageContaining("expected '=' after SD-PARAM");
    assertThatThrownBy(() -> parse(UTC, "<13>1 - h a p m [id x=1] x")).hasMessageContaining("expected '\"'");
    assertThatThrownBy(() -> parse(UTC, "<13>1 - h " + "a".repeat(49) + " p m - x")).hasMessageContaining("at most 48");
    assertThatThrownBy(() -> parse(UTC, "<13>1 - h a p m -x")).hasMessageContaining("after the structured data");
  }

  /** Round trip: any well-formed RFC 5424 message renders to text that parses back to itself. */
  @Property(tries = 300)
  void rfc5424RoundTrip(@ForAll("messages") SyslogMessage m) throws Exception {
    assertThat(parse(UTC, render(m))).isEqualTo(m);
  }

  private static String render(SyslogMessage m) {
    StringBuilder sb = new StringBuilder().append('<').append(m.facility() * 8 + m.severity()).append(">1 ");
    sb.append(m.hasTimestamp() ? DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
        Instant.ofEpochSecond(0, m.timestampNanos()).atOffset(ZoneOffset.ofHoursMinutes(-3, -30))) : "-");
    for (String f : new String[] {m.hostname(), m.appName(), m.procId(), m.msgId()}) sb.append(' ').append(f == null ? "-" : f);
    sb.append(' ');
    if (m.structuredData().isEmpty()) sb.append('-');
    for (SdElement e : m.structuredData()) {
      sb.append('[').append(e.id());
      for (SdParam p : e.params()) {
        sb.append(' ').append(p.name()).append("=\"")
            .append(p.value().replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]")).append('"');
      }
      sb.append(']');
    }
    if (!m.message().isEmpty()) sb.append(' ').append(m.message());
    return sb.toString();
  }

  @Provide
  Arbitrary<SyslogMessage> messages() {
    Arbitrary<String> token = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(32)
        .filter(s -> !s.equals("-"));
    Arbitrary<String> name = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(32)
        .filter(s -> s.indexOf('=') < 0 && s.indexOf(']') < 0 && s.indexOf('"') < 0);
    Arbitrary<SdParam> param = Combinators.combine(name, Arbitraries.strings().ofMaxLength(20)
        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)))).as(SdParam::new);
    Arbitrary<SdElement> element = Combinators.combine(name, param.list().ofMaxSize(3)).as(SdElement::new);
    Arbitrary<Long> ts = Arbitraries.longs().between(0, 4_000_000_000L * 1_000_000_000L)
        .map(n -> n / 1_000 * 1_000);
    Arbitrary<String> msg = Arbitraries.strings().ofMaxLength(40)
        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c) || c == '\n' || c == '\r' || c == 0))
        .filter(s -> !s.startsWith("\uFEFF"));
    return Combinators.combine(Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 7),
            ts.injectNull(0.2), token.injectNull(0.2), token.injectNull(0.2), token.injectNull(0.2),
            token.injectNull(0.2), element.list().ofMaxSize(2))
        .as((f, s, t, h, a, p, id, sd) -> new SyslogMessage(Format.RFC5424, f, s,
            t == null ? SyslogMessage.NO_TIMESTAMP : t, h, a, p, id, sd, ""))
        .flatMap(m -> msg.map(text -> new SyslogMessage(m.format(), m.facility(), m.severity(), m.timestampNanos(),
            m.hostname(), m.appName(), m.procId(), m.msgId(), m.structuredData(), text)));
  }
}
