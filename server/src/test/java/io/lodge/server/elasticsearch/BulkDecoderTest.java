package io.lodge.server.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import io.lodge.config.ElasticsearchConfig;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** NDJSON bulk decoding: items in order, one bad line never loses the others, fields to line/time/labels/metadata. */
class BulkDecoderTest {
  private static final BulkDecoder DECODER = new BulkDecoder(new JsonFactory());
  private static final BulkOptions DEFAULTS = BulkOptions.defaults(ElasticsearchConfig.defaults());
  private static final long NOW = 1_700_000_000_000_000_000L;

  private static BulkDecoder.Decoded decode(String body, BulkOptions options) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return DECODER.decode(b, b.length, null, options, NOW);
  }

  private static List<String> statuses(BulkDecoder.Decoded d) {
    return d.items().stream().map(i -> i.action() + " " + i.status()).toList();
  }

  private static List<String> lines(BulkDecoder.Decoded d) {
    List<String> out = new ArrayList<>();
    for (PushStream s : d.request().streams()) for (LogEntry e : s.entries()) out.add(e.lineString());
    return out;
  }

  @Test
  void malformedActionLinesAreReportedAndDecodingResynchronizes() {
    String body = """
        {"index":{"_index":"a"}}
        {"message":"one"}
        {"index":{"_index":"a"}
        {"message":"lost with its broken action"}
        {"bogus":{}}
        {"create":{"_index":"a"}}
        {"message":"two"}
        not json at all
        {"index":{}}
        {"message":"no index"}
        {"create":{"_index":"a"}}
        """;
    BulkDecoder.Decoded d = decode(body, DEFAULTS);
    assertThat(statuses(d)).containsExactly("index 201", "index 400", "index 400", "create 201", "index 400",
        "index 400", "create 400");
    assertThat(d.items().get(2).errorReason()).contains("[create, delete, index, update]").contains("[bogus]");
    assertThat(d.items().get(5).errorType()).isEqualTo("action_request_validation_exception");
    assertThat(d.items().get(6).errorReason()).contains("has no document");
    assertThat(lines(d)).containsExactly("one", "two");
    assertThat(d.pushedItems()).containsExactly(0, 3);
  }

  @Test
  void fieldsBecomeLineTimeLabelsAndFlattenedMetadata() {
    String body = """
        {"create":{"_index":"logs"}}
        {"@timestamp":"2024-01-15T10:00:00.5+02:00","msg":"fallback","host":{"name":"h1","ip":["10.0.0.1","::1"]},"n":3,"ok":true,"nil":null,"kubernetes.pod.name":"p-1"}
        {"create":{"_index":"logs"}}
        {"ts":1705312800123,"message":"epoch millis","host":{"name":"h1"}}
        """;
    BulkDecoder.Decoded d = decode(body, new BulkOptions(List.of("message", "msg"), List.of("@timestamp", "ts"),
        List.of("host.name")));
    assertThat(d.request().streams()).hasSize(1);
    PushStream s = d.request().streams().get(0);
    assertThat(s.labels()).isEqualTo(LabelSet.of("host_name", "h1"));
    assertThat(s.entries().get(0)).isEqualTo(LogEntry.of(1_705_305_600_500_000_000L, "fallback", List.of(
        new Label("host_ip", "[\"10.0.0.1\",\"::1\"]"), new Label("n", "3"), new Label("ok", "true"),
        new Label("kubernetes_pod_name", "p-1"))));
    assertThat(s.entries().get(1)).isEqualTo(LogEntry.of(1_705_312_800_123_000_000L, "epoch millis", List.of()));
  }

  @Test
  void aBadTimestampFailsOnlyItsItemAndAMissingOneIsNow() {
    String body = "{\"index\":{\"_index\":\"x\"}}\n{\"@timestamp\":\"yesterday\",\"message\":\"a\"}\n"
        + "{\"index\":{\"_index\":\"x\"}}\n{\"message\":\"b\"}";
    BulkDecoder.Decoded d = decode(body, DEFAULTS);
    assertThat(statuses(d)).containsExactly("index 400", "index 201");
    assertThat(d.items().get(0).errorReason()).contains("failed to parse date field [yesterday]");
    assertThat(d.request().streams().get(0).entries()).containsExactly(LogEntry.of(NOW, "b"));
    assertThat(d.request().streams().get(0).labels()).isEqualTo(LabelSet.of("index", "x", "job", "elasticsearch"));
  }

  /** Oracle: with any subset of documents corrupted, every good one is stored and every bad one is a 400, in order. */
  @Property(tries = 100)
  void badDocumentsNeverAffectGoodOnes(@ForAll("flags") List<Boolean> corrupt) {
    StringBuilder body = new StringBuilder();
    List<String> expectedLines = new ArrayList<>();
    List<String> expectedStatus = new ArrayList<>();
    for (int i = 0; i < corrupt.size(); i++) {
      body.append("{\"create\":{\"_index\":\"i\"}}\n");
      if (corrupt.get(i)) {
        body.append("{\"message\":\"doc ").append(i).append("\", \n");
        expectedStatus.add("create 400");
      } else {
        body.append("{\"message\":\"doc ").append(i).append("\"}\n");
        expectedLines.add("doc " + i);
        expectedStatus.add("create 201");
      }
    }
    BulkDecoder.Decoded d = decode(body.toString(), DEFAULTS);
    assertThat(statuses(d)).containsExactlyElementsOf(expectedStatus);
    assertThat(lines(d)).containsExactlyElementsOf(expectedLines);
  }

  @Provide
  Arbitrary<List<Boolean>> flags() {
    return Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(30);
  }
}
