package io.lodge.ingester.push;

import static io.lodge.ingester.push.JsonPushDecoder.describe;
import static io.lodge.ingester.push.JsonPushDecoder.error;
import static io.lodge.ingester.push.JsonPushDecoder.expectObject;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lodge.ingester.model.EntryBatch;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The legacy JSON push shape of {@code /api/prom/push} (LOKI-COMPAT 1.4.3), which Loki reads with Go's
 * {@code encoding/json} into {@code logproto.PushRequest}:
 *
 * <pre>
 * {"streams": [{"labels": "{foo=\"bar\"}",
 *               "entries": [{"ts": "2019-09-13T18:32:22.380001319Z", "line": "x",
 *                            "structuredMetadata": {"a": "1"}}]}]}
 * </pre>
 *
 * As with {@code encoding/json}: keys match case-insensitively, unknown keys are ignored, {@code null}
 * leaves a field at its zero value (an absent {@code ts} is the zero time, year 1, clamped to
 * {@link Long#MIN_VALUE}), a repeated key replaces the earlier value. Structured metadata may also come as
 * protobuf-JSON pairs {@code [{"name": "a", "value": "1"}]}.
 */
final class LegacyJsonPushReader {
  private final JsonParser p;
  private final StreamLabelsCache labels;

  LegacyJsonPushReader(JsonParser p, StreamLabelsCache labels) {
    this.p = p;
    this.labels = labels;
  }

  private record PendingStream(String labels, EntryBatch entries) {}

  PushRequest read() throws IOException {
    expectObject(p, p.nextToken(), "the push body");
    List<PendingStream> streams = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      if (!key.equalsIgnoreCase("streams")) {
        p.skipChildren();
        continue;
      }
      streams = new ArrayList<>();
      if (t == JsonToken.VALUE_NULL) continue;
      if (t != JsonToken.START_ARRAY) throw error(p, "\"streams\" must be an array, got " + describe(t));
      for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        streams.add(readStream(t, streams.size()));
      }
    }
    // Go decodes the whole body before any label string is parsed.
    List<PushStream> out = new ArrayList<>(streams.size());
    for (PendingStream s : streams) out.add(new PushStream(labels.fromString(s.labels), s.entries));
    return new PushRequest(out);
  }

  private PendingStream readStream(JsonToken t, int index) throws IOException {
    String where = "streams[" + index + "]";
    expectObject(p, t, where);
    String labelText = "";
    EntryBatch.Builder entries = null; // a repeated "entries" replaces the one before, as in Go
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      t = p.nextToken();
      if (key.equalsIgnoreCase("labels")) {
        if (t == JsonToken.VALUE_STRING) labelText = p.getText();
        else if (t != JsonToken.VALUE_NULL) throw error(p, where + ".labels must be a string, got " + describe(t));
      } else if (key.equalsIgnoreCase("entries")) {
        entries = new EntryBatch.Builder(16);
        if (t == JsonToken.VALUE_NULL) continue;
        if (t != JsonToken.START_ARRAY) throw error(p, where + ".entries must be an array, got " + describe(t));
        for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          readEntry(t, index, entries);
        }
      } else {
        p.skipChildren();
      }
    }
    return new PendingStream(labelText, entries == null ? EntryBatch.empty() : entries.build());
  }

  /** Reads one {@code {ts, line, structuredMetadata}} into {@code into}. */
  private void readEntry(JsonToken t, int stream, EntryBatch.Builder into) throws IOException {
    int entry = into.size();
    // The location is built only on failure: this runs once per log line.
    Supplier<String> where = () -> "streams[" + stream + "].entries[" + entry + "]";
    if (t == JsonToken.VALUE_NULL) {
      into.add(Long.MIN_VALUE, JsonPushDecoder.EMPTY, List.of());
      return;
    }
    if (t != JsonToken.START_OBJECT) expectObject(p, t, where.get());
    long ts = Long.MIN_VALUE;
    byte[] line = JsonPushDecoder.EMPTY;
    List<Label> metadata = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      t = p.nextToken();
      if (key.equalsIgnoreCase("ts")) {
        if (t == JsonToken.VALUE_STRING) {
          try {
            ts = Rfc3339.parseNanos(p.getText());
          } catch (IllegalArgumentException e) {
            throw error(p, where.get() + ".ts: " + e.getMessage());
          }
        } else if (t != JsonToken.VALUE_NULL) {
          throw error(p, where.get() + ".ts must be an RFC 3339 string like \"2019-09-13T18:32:22.380001319Z\", got "
              + describe(t));
        }
      } else if (key.equalsIgnoreCase("line")) {
        if (t == JsonToken.VALUE_STRING) line = JsonPushDecoder.lineBytes(p);
        else if (t != JsonToken.VALUE_NULL) throw error(p, where.get() + ".line must be a string, got " + describe(t));
      } else if (key.equalsIgnoreCase("structuredMetadata")) {
        if (t == JsonToken.START_ARRAY) metadata = readMetadataPairs(where.get() + ".structuredMetadata");
        else if (t == JsonToken.VALUE_NULL) metadata = List.of();
        else metadata = JsonPushDecoder.readMetadataObject(p, t, () -> where.get() + ".structuredMetadata");
      } else {
        p.skipChildren();
      }
    }
    into.add(ts, line, metadata);
  }

  /** {@code [{"name": "a", "value": "1"}, ...]}. */
  private List<Label> readMetadataPairs(String where) throws IOException {
    List<Label> metadata = new ArrayList<>(4);
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      String at = where + "[" + metadata.size() + "]";
      expectObject(p, t, at);
      String name = "";
      String value = "";
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        boolean isName = key.equalsIgnoreCase("name");
        if (!isName && !key.equalsIgnoreCase("value")) {
          p.skipChildren();
          continue;
        }
        if (v == JsonToken.VALUE_NULL) continue;
        if (v != JsonToken.VALUE_STRING) throw error(p, at + "." + key + " must be a string, got " + describe(v));
        if (isName) name = p.getText();
        else value = p.getText();
      }
      metadata.add(new Label(name, value));
    }
    return metadata.isEmpty() ? List.of() : metadata;
  }
}
