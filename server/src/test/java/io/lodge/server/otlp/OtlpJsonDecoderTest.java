package io.lodge.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.lodge.ingester.push.PushDecodeException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonDecoderTest {
  private static ExportLogsServiceRequest decode(String json) {
    return OtlpJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  @Test
  void decodesEveryFieldByTheOtlpJsonRules() {
    String json = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}],
                                      "droppedAttributesCount":1},
          "schemaUrl":"https://x","unknownField":{"deep":[1,2,{"a":null}]},
          "scopeLogs":[{"scope":{"name":"lib","version":"2","attributes":[],"droppedAttributesCount":"3"},
            "logRecords":[{
              "timeUnixNano":"1700000000000000001","observedTimeUnixNano":1700000000000000002,
              "severityNumber":"SEVERITY_NUMBER_WARN","severityText":"W",
              "body":{"kvlistValue":{"values":[
                 {"key":"i","value":{"intValue":"-7"}},{"key":"d","value":{"doubleValue":"NaN"}},
                 {"key":"b","value":{"bytesValue":"aGk="}},{"key":"t","value":{"boolValue":true}},
                 {"key":"a","value":{"arrayValue":{"values":[{"intValue":3},{}]}}}]}},
              "attributes":[{"key":"k","value":{"stringValue":"v"}},{"key":"n","value":null}],
              "droppedAttributesCount":4,"flags":1,
              "traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","eventName":"e"}]}]}]}
        """;
    LogRecord record = LogRecord.newBuilder()
        .setTimeUnixNano(1700000000000000001L).setObservedTimeUnixNano(1700000000000000002L)
        .setSeverityNumberValue(13).setSeverityText("W")
        .setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(KeyValue.newBuilder().setKey("i").setValue(AnyValue.newBuilder().setIntValue(-7)))
            .addValues(KeyValue.newBuilder().setKey("d").setValue(AnyValue.newBuilder().setDoubleValue(Double.NaN)))
            .addValues(KeyValue.newBuilder().setKey("b").setValue(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi"))))
            .addValues(KeyValue.newBuilder().setKey("t").setValue(AnyValue.newBuilder().setBoolValue(true)))
            .addValues(KeyValue.newBuilder().setKey("a").setValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setIntValue(3)).addValues(AnyValue.getDefaultInstance()))))))
        .addAttributes(KeyValue.newBuilder().setKey("k").setValue(str("v")))
        .addAttributes(KeyValue.newBuilder().setKey("n"))
        .setDroppedAttributesCount(4).setFlags(1)
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex("0af7651916cd43dd8448eb211c80319c")))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("b7ad6b7169203331")))
        .setEventName("e")
        .build();
    ExportLogsServiceRequest expected = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(str("api")))
            .setDroppedAttributesCount(1))
        .setSchemaUrl("https://x")
        .addScopeLogs(ScopeLogs.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("2").setDroppedAttributesCount(3))
            .addLogRecords(record)))
        .build();
    assertThat(decode(json)).isEqualTo(expected);
  }

  @Test
  void snakeCaseNamesAndNumericEnumsAreAccepted() {
    ExportLogsServiceRequest r = decode("""
        {"resource_logs":[{"scope_logs":[{"log_records":[{"time_unix_nano":5,"severity_number":9,
          "body":{"string_value":"x"},"trace_id":""}]}]}]}""");
    LogRecord lr = r.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(lr.getTimeUnixNano()).isEqualTo(5);
    assertThat(lr.getSeverityNumberValue()).isEqualTo(9);
    assertThat(lr.getBody()).isEqualTo(str("x"));
    assertThat(lr.getTraceId()).isEmpty();
    assertThat(decode("{}")).isEqualTo(ExportLogsServiceRequest.getDefaultInstance());
    assertThat(decode("null")).isEqualTo(ExportLogsServiceRequest.getDefaultInstance());
  }

  @Test
  void malformedInputIsA400WithItsPlace() {
    assertThatThrownBy(() -> decode("{\"resourceLogs\":{}}")).isInstanceOf(PushDecodeException.class)
        .hasMessageContaining("expected an array");
    assertThatThrownBy(() -> decode("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"zz\"}]}]}]}"))
        .isInstanceOf(PushDecodeException.class).hasMessageContaining("invalid hex id \"zz\"");
    assertThatThrownBy(() -> decode("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"-1\"}]}]}]}"))
        .isInstanceOf(PushDecodeException.class).hasMessageContaining("invalid unsigned integer \"-1\"");
    assertThatThrownBy(() -> decode("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityNumber\":\"LOUD\"}]}]}]}"))
        .isInstanceOf(PushDecodeException.class).hasMessageContaining("unknown severityNumber");
    assertThatThrownBy(() -> decode("{} {}")).isInstanceOf(PushDecodeException.class);
    assertThatThrownBy(() -> decode("{\"resourceLogs\":[")).isInstanceOf(PushDecodeException.class)
        .hasMessageStartingWith("unmarshal:");
  }
}
