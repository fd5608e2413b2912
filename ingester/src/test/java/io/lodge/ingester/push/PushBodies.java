package io.lodge.ingester.push;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.lodge.ingester.model.GoQuote;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.proto.logproto.EntryAdapter;
import io.lodge.proto.logproto.LabelPairAdapter;
import io.lodge.proto.logproto.StreamAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.Snappy;

/** Test encoders: the generated logproto classes, snappy-java, JDK gzip/deflate, hand-written v1 JSON. */
final class PushBodies {
  private PushBodies() {}

  /** One stream entry as the generated protobuf class. */
  static EntryAdapter entry(long nanos, byte[] line, List<Label> metadata) {
    EntryAdapter.Builder b = EntryAdapter.newBuilder()
        .setTimestamp(Timestamp.newBuilder().setSeconds(Math.floorDiv(nanos, 1_000_000_000L))
            .setNanos((int) Math.floorMod(nanos, 1_000_000_000L)))
        .setLineBytes(ByteString.copyFrom(line));
    for (Label l : metadata) b.addStructuredMetadata(LabelPairAdapter.newBuilder().setName(l.name()).setValue(l.value()));
    return b.build();
  }

  /** {@code labelText} per stream, entries from the model. */
  static byte[] proto(List<String> labelTexts, List<List<LogEntry>> entries) {
    io.lodge.proto.logproto.PushRequest.Builder req = io.lodge.proto.logproto.PushRequest.newBuilder();
    for (int i = 0; i < labelTexts.size(); i++) {
      StreamAdapter.Builder s = StreamAdapter.newBuilder().setLabels(labelTexts.get(i));
      for (LogEntry e : entries.get(i)) s.addEntries(entry(e.timestampNanos(), e.line(), e.metadata()));
      req.addStreams(s);
    }
    return req.build().toByteArray();
  }

  /** The protobuf encoding of a model request (labels rendered canonically). */
  static byte[] proto(PushRequest r) {
    return proto(r.streams().stream().map(s -> s.labels().canonical()).toList(),
        r.streams().stream().<List<LogEntry>>map(PushStream::entries).toList());
  }

  static byte[] snappy(byte[] raw) {
    try {
      return Snappy.compress(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] deflateRaw(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true))) {
      d.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** v1 JSON of a model request; lines must be valid UTF-8. */
  static byte[] v1Json(PushRequest r) {
    StringBuilder sb = new StringBuilder("{\"streams\":[");
    for (int i = 0; i < r.streams().size(); i++) {
      PushStream s = r.streams().get(i);
      if (i > 0) sb.append(',');
      sb.append("{\"stream\":{");
      for (int j = 0; j < s.labels().size(); j++) {
        if (j > 0) sb.append(',');
        json(sb, s.labels().get(j).name()).append(':');
        json(sb, s.labels().get(j).value());
      }
      sb.append("},\"values\":[");
      for (int j = 0; j < s.entries().size(); j++) {
        LogEntry e = s.entries().get(j);
        if (j > 0) sb.append(',');
        sb.append("[\"").append(e.timestampNanos()).append("\",");
        json(sb, e.lineString());
        if (!e.metadata().isEmpty()) {
          sb.append(",{");
          for (int k = 0; k < e.metadata().size(); k++) {
            if (k > 0) sb.append(',');
            json(sb, e.metadata().get(k).name()).append(':');
            json(sb, e.metadata().get(k).value());
          }
          sb.append('}');
        }
        sb.append(']');
      }
      sb.append("]}");
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A JSON string literal (JSON escapes are a subset of what this writes). */
  static StringBuilder json(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"');
  }

  static String quote(String s) {
    return GoQuote.quote(s);
  }

  /** How a body is held: the decoder must read them all alike. */
  enum BufKind {
    HEAP, DIRECT, COMPOSITE, SLICED_HEAP;

    ByteBuf wrap(byte[] b) {
      return switch (this) {
        case HEAP -> Unpooled.wrappedBuffer(b);
        case DIRECT -> Unpooled.directBuffer(Math.max(1, b.length)).writeBytes(b);
        case SLICED_HEAP -> {
          byte[] padded = new byte[b.length + 7];
          System.arraycopy(b, 0, padded, 3, b.length);
          yield Unpooled.wrappedBuffer(padded).slice(3, b.length);
        }
        case COMPOSITE -> {
          CompositeByteBuf c = Unpooled.compositeBuffer();
          int third = b.length / 3;
          c.addComponent(true, Unpooled.wrappedBuffer(b, 0, third));
          c.addComponent(true, Unpooled.directBuffer(Math.max(1, third)).writeBytes(b, third, third));
          c.addComponent(true, Unpooled.wrappedBuffer(b, 2 * third, b.length - 2 * third));
          yield c;
        }
      };
    }
  }
}
