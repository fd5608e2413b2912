package io.lodge.ingester.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.lodge.ingester.model.EntryBatch;
import io.lodge.ingester.model.GoQuote;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decodes JSON push bodies with a streaming parser (LOKI-COMPAT 1.4): the v1 shape on
 * {@code /loki/api/v1/push}, the legacy shape ({@link LegacyJsonPushReader}) on {@code /api/prom/push}.
 *
 * <pre>
 * {"streams": [{"stream": {"app": "web"},                       labels: object of strings
 *               "values": [["1700000000123456789", "line"],     ns timestamp as a string, line
 *                          ["1700000000223456789", "l2", {"k": "v"}]]}]}   optional structured metadata
 * </pre>
 *
 * v1 rules, as in Loki: the timestamp must be a JSON string holding a base-10 integer (a number,
 * {@code "1.5"} or {@code "1e9"} is refused); {@code "values": null} is no entries; label values given as
 * numbers, booleans or null count as their text; a repeated label key keeps its last value; structured
 * metadata values must be strings; elements after the third are ignored and an entry with only a
 * timestamp has an empty line. Unknown keys are ignored. Differences, by choice: JSON escapes in
 * structured metadata are decoded (Loki keeps them raw) and invalid UTF-8 is refused (Jackson). As in Loki,
 * anything after the top-level object is ignored. Lines are encoded to UTF-8 straight from the parser's
 * char buffer.
 */
public final class JsonPushDecoder {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      // Lines are bounded by the body limit, not by Jackson's default string cap; nesting stays capped
      // (only skipped values can nest, and skipping is iterative, but deep input is never useful).
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE)
          .maxNestingDepth(200)
          .build())
      .build();

  private final StreamLabelsCache labels;

  public JsonPushDecoder(ServiceNameDiscovery discovery) {
    this(new StreamLabelsCache(discovery));
  }

  JsonPushDecoder(StreamLabelsCache labels) {
    this.labels = labels;
  }

  /** Decodes {@code body}'s readable bytes; does not change its indexes or release it. */
  public PushRequest decode(PushApi api, ByteBuf body) {
    checkUtf8Start(body.readableBytes() > 0 ? body.getUnsignedByte(body.readerIndex()) : -1,
        body.indexOf(body.readerIndex(), body.readerIndex() + Math.min(4, body.readableBytes()), (byte) 0) >= 0);
    try (JsonParser p = body.hasArray()
        ? FACTORY.createParser(body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes())
        : FACTORY.createParser((InputStream) new ByteBufInputStream(body.duplicate()))) {
      return decode(api, p);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (CharConversionException e) {
      throw new PushDecodeException("invalid JSON push body: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory JSON input failed", e);
    }
  }

  /** Decodes {@code json[off, off+len)}. */
  public PushRequest decode(PushApi api, byte[] json, int off, int len) {
    boolean zero = false;
    for (int k = off; k < off + Math.min(4, len); k++) zero |= json[k] == 0;
    checkUtf8Start(len > 0 ? json[off] & 0xFF : -1, zero);
    try (JsonParser p = FACTORY.createParser(json, off, len)) {
      return decode(api, p);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (CharConversionException e) {
      throw new PushDecodeException("invalid JSON push body: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory JSON input failed", e);
    }
  }

  /**
   * Go reads JSON as UTF-8 only; Jackson would detect UTF-16/32 from zero bytes and skip a UTF-8 BOM. A NUL
   * byte or a BOM is never valid at the start of a JSON document, so refusing them keeps Go's behaviour.
   */
  private static void checkUtf8Start(int first, boolean zeroInFirstFour) {
    if (zeroInFirstFour || first == 0xEF || first == 0xFE || first == 0xFF) {
      throw new PushDecodeException("invalid JSON push body: the body must be UTF-8 JSON without a byte order mark"
          + " (line 1, column 1)");
    }
  }

  private PushRequest decode(PushApi api, JsonParser p) throws IOException {
    // Like Go's json.Decoder.Decode (which Loki uses), only the first top-level value is read: whatever
    // follows it is ignored, not refused.
    return api == PushApi.V1 ? readV1(p) : new LegacyJsonPushReader(p, labels).read();
  }

  // ---- v1 shape ---------------------------------------------------------------------------------

  private PushRequest readV1(JsonParser p) throws IOException {
    expectObject(p, p.nextToken(), "the push body");
    List<PendingStream> streams = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      if (!key.equals("streams")) {
        p.skipChildren();
        continue;
      }
      streams = new ArrayList<>();
      if (t == JsonToken.VALUE_NULL) continue;
      if (t != JsonToken.START_ARRAY) throw error(p, "\"streams\" must be an array, got " + describe(t));
      for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        streams.add(readV1Stream(p, t, streams.size()));
      }
    }
    // Labels are resolved after the whole body is read: Loki decodes the JSON first and parses label
    // strings afterwards, so a syntax error anywhere wins over a bad label name.
    List<PushStream> out = new ArrayList<>(streams.size());
    for (PendingStream s : streams) out.add(new PushStream(labels.fromPairs(s.pairs), s.entries));
    return new PushRequest(out);
  }

  private record PendingStream(List<Label> pairs, EntryBatch entries) {}

  private PendingStream readV1Stream(JsonParser p, JsonToken t, int index) throws IOException {
    expectObject(p, t, "streams[" + index + "]");
    List<Label> pairs = new ArrayList<>(8);
    EntryBatch.Builder entries = null; // a repeated "values" replaces the one before, as in Go
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      t = p.nextToken();
      switch (key) {
        case "stream" -> readV1Labels(p, t, index, pairs);
        case "values" -> {
          entries = new EntryBatch.Builder(16);
          if (t == JsonToken.VALUE_NULL) break;
          if (t != JsonToken.START_ARRAY) {
            throw error(p, "streams[" + index + "].values must be an array of entries, got " + describe(t));
          }
          for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            readV1Entry(p, t, index, entries);
          }
        }
        default -> p.skipChildren();
      }
    }
    return new PendingStream(pairs, entries == null ? EntryBatch.empty() : entries.build());
  }

  private static void readV1Labels(JsonParser p, JsonToken t, int index, List<Label> pairs) throws IOException {
    expectObject(p, t, "streams[" + index + "].stream");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      String value = switch (v) {
        case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText(); // numbers keep their text
        case VALUE_TRUE -> "true";
        case VALUE_FALSE -> "false";
        case VALUE_NULL -> "null";
        default -> throw error(p, "streams[" + index + "].stream: value of label " + GoQuote.quote(name)
            + " must be a string, got " + describe(v));
      };
      pairs.add(new Label(name, value));
    }
  }

  /** Reads one {@code [ts, line, metadata]} into {@code into}. */
  private static void readV1Entry(JsonParser p, JsonToken t, int stream, EntryBatch.Builder into) throws IOException {
    int entry = into.size();
    // Location strings are built only on failure: this runs once per log line.
    if (t != JsonToken.START_ARRAY) {
      throw error(p, at(stream, entry, -1) + " must be an array [\"<unix ns>\", \"<line>\", {metadata}], got "
          + describe(t));
    }
    t = p.nextToken();
    if (t == JsonToken.END_ARRAY) {
      throw error(p, at(stream, entry, -1) + " is empty; expected [\"<unix ns>\", \"<line>\"]");
    }
    if (t != JsonToken.VALUE_STRING) {
      throw error(p, at(stream, entry, 0) + ": the timestamp must be a JSON string of Unix nanoseconds, got "
          + describe(t));
    }
    long ts = parseNanos(p, stream, entry);
    t = p.nextToken();
    if (t == JsonToken.END_ARRAY) {
      into.add(ts, EMPTY, List.of());
      return;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw error(p, at(stream, entry, 1) + ": the line must be a JSON string, got " + describe(t));
    }
    byte[] line = lineBytes(p);
    t = p.nextToken();
    List<Label> metadata = List.of();
    if (t != JsonToken.END_ARRAY) {
      metadata = readMetadataObject(p, t, () -> at(stream, entry, 2));
      // Loki ignores anything after the third element.
      for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) p.skipChildren();
    }
    into.add(ts, line, metadata);
  }

  private static String at(int stream, int entry, int element) {
    return "streams[" + stream + "].values[" + entry + "]" + (element < 0 ? "" : "[" + element + "]");
  }

  /** Loki's (jsonparser's) integer rule: optional '-', then only digits, fitting int64; "-" alone is 0. */
  private static long parseNanos(JsonParser p, int stream, int entry) throws IOException {
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    int len = p.getTextLength();
    if (len == 0) {
      throw error(p, at(stream, entry, 0)
          + ": empty timestamp; expected Unix nanoseconds like \"1700000000123456789\"");
    }
    boolean negative = c[off] == '-';
    long v = 0; // accumulated negatively so that Long.MIN_VALUE fits
    for (int k = negative ? 1 : 0; k < len; k++) {
      int d = c[off + k] - '0';
      if (d < 0 || d > 9) {
        throw error(p, at(stream, entry, 0) + ": timestamp " + GoQuote.quote(p.getText())
            + " is not an integer of Unix nanoseconds (like \"1700000000123456789\")");
      }
      if (v < (Long.MIN_VALUE + d) / 10) throw overflow(p, stream, entry);
      v = v * 10 - d;
    }
    if (!negative && v == Long.MIN_VALUE) throw overflow(p, stream, entry);
    return negative ? v : -v;
  }

  private static PushDecodeException overflow(JsonParser p, int stream, int entry) throws IOException {
    return error(p, at(stream, entry, 0) + ": timestamp " + GoQuote.quote(p.getText())
        + " overflows int64 nanoseconds");
  }

  // ---- shared with the legacy reader --------------------------------------------------------------

  static final byte[] EMPTY = new byte[0];

  /** Structured metadata as a flat object of strings. */
  static List<Label> readMetadataObject(JsonParser p, JsonToken t, Supplier<String> where) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw error(p, where.get() + ": structured metadata must be an object of strings, got " + describe(t));
    }
    List<Label> metadata = new ArrayList<>(4);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (v != JsonToken.VALUE_STRING) {
        throw error(p, where.get() + ": structured metadata value of " + GoQuote.quote(name)
            + " must be a string, got " + describe(v));
      }
      metadata.add(new Label(name, p.getText()));
    }
    return metadata.isEmpty() ? List.of() : metadata;
  }

  /** The current string token as UTF-8, encoded from the parser's buffer without a String. */
  static byte[] lineBytes(JsonParser p) throws IOException {
    return Utf8Builder.encode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
  }

  static void expectObject(JsonParser p, JsonToken t, String what) {
    if (t != JsonToken.START_OBJECT) throw error(p, what + " must be a JSON object, got " + describe(t));
  }

  static String describe(JsonToken t) {
    if (t == null) return "end of input";
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case END_OBJECT -> "'}'";
      case END_ARRAY -> "']'";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  static PushDecodeException error(JsonParser p, String message) {
    JsonLocation at = p.currentTokenLocation();
    return new PushDecodeException("invalid JSON push body: " + message + " (line " + at.getLineNr()
        + ", column " + at.getColumnNr() + ")");
  }

  private static PushDecodeException syntaxError(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    return new PushDecodeException("invalid JSON push body: " + e.getOriginalMessage() + where, e);
  }
}
