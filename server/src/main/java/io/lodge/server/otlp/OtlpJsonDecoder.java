package io.lodge.server.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Decodes the OTLP/JSON encoding of an {@code ExportLogsServiceRequest} with a streaming parser, by the
 * OTLP/JSON rules the collector follows: field names in lowerCamelCase (the proto's snake_case names are
 * accepted too), 64-bit integers as JSON strings or numbers, enums as numbers or names, {@code traceId} /
 * {@code spanId} as hex (not base64), {@code bytesValue} as base64, unknown fields ignored, {@code null}
 * as the field's default.
 */
final class OtlpJsonDecoder {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final HexFormat HEX = HexFormat.of();

  private OtlpJsonDecoder() {}

  static ExportLogsServiceRequest decode(byte[] json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
      p.nextToken();
      object(p, name -> {
        if (is(name, "resourceLogs", "resource_logs")) array(p, () -> b.addResourceLogs(resourceLogs(p)));
        else p.skipChildren();
      });
      if (p.nextToken() != null) throw new PushDecodeException("unmarshal: unexpected data after the top-level object");
      return b.build();
    } catch (JsonParseException e) {
      throw new PushDecodeException("unmarshal: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("reading JSON from memory failed", e);
    }
  }

  private static ResourceLogs resourceLogs(JsonParser p) throws IOException {
    ResourceLogs.Builder b = ResourceLogs.newBuilder();
    object(p, name -> {
      if (is(name, "resource", "resource")) b.setResource(resource(p));
      else if (is(name, "scopeLogs", "scope_logs")) array(p, () -> b.addScopeLogs(scopeLogs(p)));
      else if (is(name, "schemaUrl", "schema_url")) b.setSchemaUrl(string(p));
      else p.skipChildren();
    });
    return b.build();
  }

  private static Resource resource(JsonParser p) throws IOException {
    Resource.Builder b = Resource.newBuilder();
    object(p, name -> {
      if (is(name, "attributes", "attributes")) array(p, () -> b.addAttributes(keyValue(p)));
      else if (is(name, "droppedAttributesCount", "dropped_attributes_count")) b.setDroppedAttributesCount(uint32(p));
      else p.skipChildren();
    });
    return b.build();
  }

  private static ScopeLogs scopeLogs(JsonParser p) throws IOException {
    ScopeLogs.Builder b = ScopeLogs.newBuilder();
    object(p, name -> {
      if (is(name, "scope", "scope")) b.setScope(scope(p));
      else if (is(name, "logRecords", "log_records")) array(p, () -> b.addLogRecords(logRecord(p)));
      else if (is(name, "schemaUrl", "schema_url")) b.setSchemaUrl(string(p));
      else p.skipChildren();
    });
    return b.build();
  }

  private static InstrumentationScope scope(JsonParser p) throws IOException {
    InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
    object(p, name -> {
      switch (name) {
        case "name" -> b.setName(string(p));
        case "version" -> b.setVersion(string(p));
        case "attributes" -> array(p, () -> b.addAttributes(keyValue(p)));
        case "droppedAttributesCount", "dropped_attributes_count" -> b.setDroppedAttributesCount(uint32(p));
        default -> p.skipChildren();
      }
    });
    return b.build();
  }

  private static LogRecord logRecord(JsonParser p) throws IOException {
    LogRecord.Builder b = LogRecord.newBuilder();
    object(p, name -> {
      switch (name) {
        case "timeUnixNano", "time_unix_nano" -> b.setTimeUnixNano(uint64(p));
        case "observedTimeUnixNano", "observed_time_unix_nano" -> b.setObservedTimeUnixNano(uint64(p));
        case "severityNumber", "severity_number" -> b.setSeverityNumberValue(severity(p));
        case "severityText", "severity_text" -> b.setSeverityText(string(p));
        case "body" -> b.setBody(anyValue(p));
        case "attributes" -> array(p, () -> b.addAttributes(keyValue(p)));
        case "droppedAttributesCount", "dropped_attributes_count" -> b.setDroppedAttributesCount(uint32(p));
        case "flags" -> b.setFlags(uint32(p));
        case "traceId", "trace_id" -> b.setTraceId(hexId(p));
        case "spanId", "span_id" -> b.setSpanId(hexId(p));
        case "eventName", "event_name" -> b.setEventName(string(p));
        default -> p.skipChildren();
      }
    });
    return b.build();
  }

  private static KeyValue keyValue(JsonParser p) throws IOException {
    KeyValue.Builder b = KeyValue.newBuilder();
    object(p, name -> {
      if (name.equals("key")) b.setKey(string(p));
      else if (name.equals("value")) b.setValue(anyValue(p));
      else p.skipChildren();
    });
    return b.build();
  }

  private static AnyValue anyValue(JsonParser p) throws IOException {
    AnyValue.Builder b = AnyValue.newBuilder();
    object(p, name -> {
      switch (name) {
        case "stringValue", "string_value" -> b.setStringValue(string(p));
        case "boolValue", "bool_value" -> b.setBoolValue(bool(p));
        case "intValue", "int_value" -> b.setIntValue(int64(p));
        case "doubleValue", "double_value" -> b.setDoubleValue(float64(p));
        case "bytesValue", "bytes_value" -> b.setBytesValue(base64(p));
        case "arrayValue", "array_value" -> {
          ArrayValue.Builder a = ArrayValue.newBuilder();
          object(p, n -> {
            if (n.equals("values")) array(p, () -> a.addValues(anyValue(p)));
            else p.skipChildren();
          });
          b.setArrayValue(a);
        }
        case "kvlistValue", "kvlist_value" -> {
          KeyValueList.Builder l = KeyValueList.newBuilder();
          object(p, n -> {
            if (n.equals("values")) array(p, () -> l.addValues(keyValue(p)));
            else p.skipChildren();
          });
          b.setKvlistValue(l);
        }
        default -> p.skipChildren();
      }
    });
    return b.build();
  }

  // --- structure -------------------------------------------------------------------------------

  @FunctionalInterface
  private interface FieldReader {
    void read(String name) throws IOException;
  }

  @FunctionalInterface
  private interface ElementReader {
    void read() throws IOException;
  }

  /** Reads an object (the parser is on its START_OBJECT, or on null); leaves the parser on its end. */
  private static void object(JsonParser p, FieldReader field) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) return;
    if (p.currentToken() != JsonToken.START_OBJECT) throw unexpected(p, "an object");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (p.currentToken() == JsonToken.VALUE_NULL) continue;
      field.read(name);
    }
  }

  /** Reads an array (the parser is on the value after the field name); each element starts on its token. */
  private static void array(JsonParser p, ElementReader element) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) return;
    if (p.currentToken() != JsonToken.START_ARRAY) throw unexpected(p, "an array");
    while (p.nextToken() != JsonToken.END_ARRAY) element.read();
  }

  private static boolean is(String name, String camel, String snake) {
    return name.equals(camel) || name.equals(snake);
  }

  // --- scalars -----------------------------------------------------------------------------------

  private static String string(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) throw unexpected(p, "a string");
    return p.getText();
  }

  private static boolean bool(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      default -> throw unexpected(p, "a boolean");
    };
  }

  /** int64: a JSON number or a string holding one (OTLP/JSON writes 64-bit integers as strings). */
  private static long int64(JsonParser p) throws IOException {
    String text = numberText(p, "an integer");
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new PushDecodeException("unmarshal: invalid integer " + quote(text) + at(p));
    }
  }

  private static long uint64(JsonParser p) throws IOException {
    String text = numberText(p, "an unsigned integer");
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new PushDecodeException("unmarshal: invalid unsigned integer " + quote(text) + at(p));
    }
  }

  private static int uint32(JsonParser p) throws IOException {
    long v = uint64(p);
    if (v < 0 || v > 0xFFFFFFFFL) throw new PushDecodeException("unmarshal: " + Long.toUnsignedString(v) + " overflows uint32" + at(p));
    return (int) v;
  }

  private static double float64(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT || p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      return p.getDoubleValue();
    }
    String text = numberText(p, "a number");
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new PushDecodeException("unmarshal: invalid number " + quote(text) + at(p));
        }
      }
    };
  }

  /** A severity: its number, or its enum name ({@code "SEVERITY_NUMBER_INFO"}). */
  private static int severity(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      String name = p.getText();
      for (SeverityNumber s : SeverityNumber.values()) {
        if (s != SeverityNumber.UNRECOGNIZED && s.name().equals(name)) return s.getNumber();
      }
      try {
        return Integer.parseInt(name);
      } catch (NumberFormatException e) {
        throw new PushDecodeException("unmarshal: unknown severityNumber " + quote(name) + at(p));
      }
    }
    long v = int64(p);
    if (v != (int) v) throw new PushDecodeException("unmarshal: severityNumber " + v + " overflows int32" + at(p));
    return (int) v;
  }

  private static ByteString hexId(JsonParser p) throws IOException {
    String text = string(p);
    if (text.isEmpty()) return ByteString.EMPTY;
    try {
      return ByteString.copyFrom(HEX.parseHex(text));
    } catch (IllegalArgumentException e) {
      throw new PushDecodeException("unmarshal: invalid hex id " + quote(text) + at(p));
    }
  }

  private static ByteString base64(JsonParser p) throws IOException {
    String text = string(p);
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw new PushDecodeException("unmarshal: invalid base64 " + quote(text) + at(p));
    }
  }

  private static String numberText(JsonParser p, String expected) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) return p.getText();
    throw unexpected(p, expected);
  }

  private static PushDecodeException unexpected(JsonParser p, String expected) throws IOException {
    return new PushDecodeException("unmarshal: expected " + expected + " for field " + quote(p.currentName())
        + ", got " + p.currentToken() + at(p));
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private static String at(JsonParser p) {
    return " at offset " + p.currentTokenLocation().getByteOffset();
  }
}
