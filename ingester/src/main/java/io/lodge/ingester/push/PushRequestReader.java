package io.lodge.ingester.push;

import io.lodge.ingester.model.EntryBatch;
import io.lodge.ingester.model.Label;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an uncompressed {@code logproto.PushRequest} straight from an array (the schema is on
 * {@link ProtobufPushDecoder}): indexes into the bytes instead of going through protobuf's
 * {@code CodedInputStream}, whose limit stack and per-call bounds bookkeeping were most of the parse for
 * short entries. Same rules: a known field with the wrong wire type is an error, unknown fields (groups
 * included) are skipped, strings are not UTF-8 checked. Failures are {@link PushDecodeException}s naming
 * the stream and entry they were found in.
 */
final class PushRequestReader {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LEN = 2;
  private static final int START_GROUP = 3;
  private static final int END_GROUP = 4;
  private static final int FIXED32 = 5;

  /** Groups nested deeper than this in an unknown field are refused, as protobuf's recursion limit does. */
  private static final int MAX_GROUP_DEPTH = 100;

  /**
   * A little above the encoded size of a short entry (timestamp, a ~100-byte line, framing): a stream's
   * bytes divided by it give its entry list a capacity that rarely has to grow, and small streams stay small.
   */
  private static final int ENTRY_BYTES_GUESS = 128;

  private static final byte[] EMPTY = new byte[0];

  /** One stream as sent: its label text (parsed later) and its entries. */
  record RawStream(byte[] labels, EntryBatch entries) {}

  private final byte[] b;
  /** Whether lines are kept as ranges of {@link #b} rather than copied out of it. */
  private final boolean views;
  private int pos;
  private int stream;
  private int entry = -1;

  private PushRequestReader(byte[] b, int pos, boolean views) {
    this.b = b;
    this.pos = pos;
    this.views = views;
  }

  /** The streams of the {@code PushRequest} in {@code b[off, off+len)}, each line copied out of {@code b}. */
  static List<RawStream> read(byte[] b, int off, int len) {
    checkRange(b, off, len);
    return new PushRequestReader(b, off, false).streams(off + len);
  }

  /**
   * The streams of the {@code PushRequest} in {@code b[off, off+len)}, their lines ranges of {@code b}
   * ({@link EntryBatch.Builder#over}): valid while {@code b} is kept unchanged.
   */
  static List<RawStream> readOver(byte[] b, int off, int len) {
    checkRange(b, off, len);
    return new PushRequestReader(b, off, true).streams(off + len);
  }

  private static void checkRange(byte[] b, int off, int len) {
    if (off < 0 || len < 0 || off + len > b.length || off + len < 0) {
      throw new IndexOutOfBoundsException("range [" + off + ", " + off + "+" + len + ") of an array of " + b.length);
    }
  }

  private List<RawStream> streams(int end) {
    List<RawStream> out = new ArrayList<>();
    while (pos < end) {
      int tag = tag(end);
      if (tag >>> 3 == 1) {
        expect(tag, LEN, "PushRequest.streams");
        int streamEnd = lengthEnd(end);
        out.add(readStream(streamEnd));
        stream++;
        entry = -1;
      } else {
        skip(tag, end);
      }
    }
    return out;
  }

  private RawStream readStream(int end) {
    byte[] labels = EMPTY;
    int expected = Math.max(10, Math.min((end - pos) / ENTRY_BYTES_GUESS, 1 << 16));
    EntryBatch.Builder entries = views ? EntryBatch.Builder.over(b, expected) : new EntryBatch.Builder(expected);
    while (pos < end) {
      int tag = tag(end);
      switch (tag >>> 3) {
        case 1 -> {
          expect(tag, LEN, "StreamAdapter.labels");
          labels = bytes(end);
        }
        case 2 -> {
          expect(tag, LEN, "StreamAdapter.entries");
          entry = entries.size();
          readEntry(lengthEnd(end), entries);
          entry = -1;
        }
        case 3 -> {
          expect(tag, VARINT, "StreamAdapter.hash");
          varint64(end); // Loki-internal, ignored
        }
        default -> skip(tag, end);
      }
    }
    return new RawStream(labels, entries.build());
  }

  /** Reads one {@code EntryAdapter} into {@code into}. */
  private void readEntry(int end, EntryBatch.Builder into) {
    long tsNanos = Long.MIN_VALUE; // no timestamp = Go's zero time, year 1
    byte[] line = EMPTY;
    int lineStart = 0;
    int lineLength = 0;
    List<Label> metadata = List.of();
    while (pos < end) {
      int tag = tag(end);
      switch (tag >>> 3) {
        case 1 -> {
          expect(tag, LEN, "EntryAdapter.timestamp");
          tsNanos = readTimestamp(lengthEnd(end));
        }
        case 2 -> {
          expect(tag, LEN, "EntryAdapter.line");
          if (views) {
            int stop = lengthEnd(end);
            lineStart = pos;
            lineLength = stop - pos;
            pos = stop;
          } else {
            line = bytes(end);
          }
        }
        case 3 -> {
          expect(tag, LEN, "EntryAdapter.structuredMetadata");
          if (metadata.isEmpty()) metadata = new ArrayList<>(4);
          metadata.add(readLabelPair(lengthEnd(end)));
        }
        default -> skip(tag, end); // includes 4, "parsed": query-side only
      }
    }
    if (views) {
      into.add(tsNanos, lineStart, lineLength, metadata);
    } else {
      into.add(tsNanos, line, metadata);
    }
  }

  private long readTimestamp(int end) {
    long seconds = 0;
    int nanos = 0;
    while (pos < end) {
      int tag = tag(end);
      switch (tag >>> 3) {
        case 1 -> {
          expect(tag, VARINT, "Timestamp.seconds");
          seconds = varint64(end);
        }
        case 2 -> {
          expect(tag, VARINT, "Timestamp.nanos");
          nanos = (int) varint64(end);
        }
        default -> skip(tag, end);
      }
    }
    boolean valid = seconds >= ProtobufPushDecoder.MIN_VALID_SECONDS && seconds < ProtobufPushDecoder.MAX_VALID_SECONDS
        && nanos >= 0 && nanos < 1_000_000_000;
    // the checking call names the position, a string built only for a push that fails
    return valid ? ProtobufPushDecoder.toUnixNanos(seconds, nanos) : ProtobufPushDecoder.timestampNanos(seconds, nanos, where());
  }

  private Label readLabelPair(int end) {
    String name = "";
    String value = "";
    while (pos < end) {
      int tag = tag(end);
      switch (tag >>> 3) {
        case 1 -> {
          expect(tag, LEN, "LabelPairAdapter.name");
          name = string(end);
        }
        case 2 -> {
          expect(tag, LEN, "LabelPairAdapter.value");
          value = string(end);
        }
        default -> skip(tag, end);
      }
    }
    return new Label(name, value);
  }

  private int tag(int end) {
    int tag = (int) varint64(end);
    if (tag >>> 3 == 0) throw error("invalid tag (field number 0)");
    return tag;
  }

  private void expect(int tag, int wireType, String field) {
    if ((tag & 7) != wireType) {
      throw error("wrong wire type " + (tag & 7) + " for field " + field + " (expected " + wireType + ")");
    }
  }

  /** Reads a length and returns where the bytes it announces end; they must fit before {@code end}. */
  private int lengthEnd(int end) {
    long n = varint64(end);
    if (n < 0 || n > Integer.MAX_VALUE) throw error("negative or oversized length " + n);
    if (n > end - pos) throw truncated();
    return pos + (int) n;
  }

  private byte[] bytes(int end) {
    int stop = lengthEnd(end);
    int start = pos;
    pos = stop;
    return stop == start ? EMPTY : Arrays.copyOfRange(b, start, stop);
  }

  private String string(int end) {
    int stop = lengthEnd(end);
    int start = pos;
    pos = stop;
    return new String(b, start, stop - start, StandardCharsets.UTF_8);
  }

  /** A base-128 varint of at most 10 bytes, as protobuf reads every integer field; higher bits dropped. */
  private long varint64(int end) {
    int p = pos;
    if (p < end) {
      byte first = b[p];
      if (first >= 0) { // the common one-byte case: tags, short lengths
        pos = p + 1;
        return first;
      }
    }
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= end) throw truncated();
      byte x = b[p++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        pos = p;
        return v;
      }
    }
    throw error("malformed varint (more than 10 bytes)");
  }

  private void skip(int tag, int end) {
    skip(tag, end, 0);
  }

  private void skip(int tag, int end, int depth) {
    switch (tag & 7) {
      case VARINT -> varint64(end);
      case FIXED64 -> advance(8, end);
      case LEN -> pos = lengthEnd(end);
      case FIXED32 -> advance(4, end);
      case START_GROUP -> {
        if (depth >= MAX_GROUP_DEPTH) throw error("groups nested more than " + MAX_GROUP_DEPTH + " deep");
        int field = tag >>> 3;
        while (true) {
          if (pos >= end) throw truncated();
          int inner = tag(end);
          if ((inner & 7) == END_GROUP) {
            if (inner >>> 3 != field) throw error("end-group tag for field " + (inner >>> 3) + " inside group " + field);
            return;
          }
          skip(inner, end, depth + 1);
        }
      }
      case END_GROUP -> throw error("unexpected end-group tag for field " + (tag >>> 3));
      default -> throw error("invalid wire type " + (tag & 7) + " for field " + (tag >>> 3));
    }
  }

  private void advance(int n, int end) {
    if (end - pos < n) throw truncated();
    pos += n;
  }

  private PushDecodeException truncated() {
    return error("the input ended in the middle of a field (truncated, or an embedded message misreported its length)");
  }

  private PushDecodeException error(String reason) {
    return new PushDecodeException("proto: cannot decode PushRequest" + where() + ": " + reason);
  }

  /** Where the reader is, for messages: " (stream 3, entry 17)". */
  private String where() {
    return entry < 0 ? " (stream " + stream + ")" : " (stream " + stream + ", entry " + entry + ")";
  }
}
