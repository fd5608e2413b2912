package io.lodge.ingester.wal;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a tenant's push as the payload of one WAL record, and decodes it back on replay.
 *
 * <pre>
 * record  = version:u8 (= 1)  tenant:str  streamCount:uvarint  stream*
 * stream  = labelCount:uvarint  (name:str value:str)*  entryCount:uvarint  entry*
 * entry   = tsDelta:zigzag-varlong  line:bytes  metadataCount:uvarint  (name:str value:str)*
 * str     = bytes holding UTF-8
 * bytes   = length:uvarint  byte*
 * </pre>
 *
 * Varints are LEB128 (7 bits a byte, low first); uvarints hold at most 31 bits. {@code tsDelta} is the
 * timestamp (Unix ns) minus the previous entry's in the same stream (0 before the first), wrapping,
 * zigzag-encoded so small steps back in time stay small. Labels are name/value pairs in the label
 * set's (name-sorted) order, so decoding rebuilds an equal set. The record carries no checksum of its
 * own: the WAL frame's CRC32C covers it. Decoding checks every count and length against the bytes
 * left before allocating, so garbage fails with a {@link PushRecordDecodeException}, never an
 * OutOfMemoryError, and trailing bytes are refused.
 */
public final class PushRecordCodec {
  /** The format version written in the first byte. */
  public static final int VERSION = 1;

  private PushRecordCodec() {}

  /** The record payload for {@code tenant}'s {@code request}, as an array of its own (tests, tools). */
  public static byte[] encode(String tenant, PushRequest request) {
    EncodedRecord r = encodePooled(tenant, request);
    byte[] out = Arrays.copyOf(r.bytes(), r.length());
    RecordBuffers.give(r.bytes());
    return out;
  }

  /**
   * The record payload for {@code tenant}'s {@code request}, encoded straight into an array from
   * {@link RecordBuffers}: no copy at the exact size, and the array is recycled once
   * {@link WalWriter#append(EncodedRecord, java.util.function.Function)} is done with it.
   */
  public static EncodedRecord encodePooled(String tenant, PushRequest request) {
    Out out = new Out(RecordBuffers.take(estimate(tenant, request)));
    byte[] first = out.buf;
    write(out, tenant, request);
    // outgrew the estimate (long metadata): the first array can go back now; the grown one is offered to
    // the pool too when the record is done (give() drops sizes it does not pool)
    if (out.buf != first) RecordBuffers.give(first);
    return new EncodedRecord(out.buf, out.pos, true);
  }

  private static void write(Out out, String tenant, PushRequest request) {
    out.b(VERSION);
    out.str(tenant);
    out.uvarint(request.streams().size());
    for (PushStream s : request.streams()) {
      LabelSet labels = s.labels();
      out.uvarint(labels.size());
      for (int i = 0; i < labels.size(); i++) {
        out.str(labels.get(i).name());
        out.str(labels.get(i).value());
      }
      out.uvarint(s.entries().size());
      long prev = 0;
      // the last non-empty metadata list written, and where its bytes are: entries share a few lists (one
      // per detected level), and copying the bytes beats writing the strings again char by char
      List<Label> lastMetadata = null;
      int lastStart = 0;
      int lastLength = 0;
      for (LogEntry e : s.entries()) {
        long d = e.timestampNanos() - prev;
        out.varlong((d << 1) ^ (d >> 63));
        prev = e.timestampNanos();
        out.bytes(e.line());
        List<Label> md = e.metadata();
        if (md == lastMetadata) {
          out.repeat(lastStart, lastLength);
          continue;
        }
        int start = out.pos;
        out.uvarint(md.size());
        for (Label l : md) {
          out.str(l.name());
          out.str(l.value());
        }
        if (!md.isEmpty()) {
          lastMetadata = md;
          lastStart = start;
          lastLength = out.pos - start;
        }
      }
    }
  }

  /** Decodes a payload written by {@link #encode}. */
  public static DecodedPush decode(byte[] payload) throws PushRecordDecodeException {
    In in = new In(payload);
    int version = in.u8();
    if (version != VERSION) {
      throw new PushRecordDecodeException(0, "unsupported push record version " + version + ", expected " + VERSION);
    }
    String tenant = in.str();
    // Each count is bounded by the bytes left at the minimum size of one element.
    int streamCount = in.count(2, "stream");
    List<PushStream> streams = new ArrayList<>(streamCount);
    for (int s = 0; s < streamCount; s++) {
      List<Label> labels = in.labels();
      int entryCount = in.count(3, "entry");
      List<LogEntry> entries = new ArrayList<>(entryCount);
      long prev = 0;
      for (int e = 0; e < entryCount; e++) {
        long z = in.varlong();
        long ts = prev + ((z >>> 1) ^ -(z & 1));
        prev = ts;
        byte[] line = in.bytes();
        entries.add(new LogEntry(ts, line, in.metadata()));
      }
      streams.add(new PushStream(LabelSet.of(labels), entries));
    }
    if (in.pos != payload.length) {
      throw new PushRecordDecodeException(in.pos, (payload.length - in.pos) + " trailing bytes after the last stream");
    }
    return new DecodedPush(tenant, new PushRequest(streams));
  }

  private static int estimate(String tenant, PushRequest request) {
    long n = 8 + tenant.length();
    for (PushStream s : request.streams()) {
      n += 8 + s.labels().canonical().length();
      for (LogEntry e : s.entries()) n += 12 + e.line().length + 24L * e.metadata().size();
    }
    return (int) Math.min(n, Integer.MAX_VALUE - 16);
  }

  /** A growable output buffer. */
  private static final class Out {
    byte[] buf;
    int pos;

    Out(byte[] buf) {
      this.buf = buf;
    }

    void ensure(int n) {
      if (buf.length - pos < n) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    void b(int v) {
      ensure(1);
      buf[pos++] = (byte) v;
    }

    void uvarint(int v) {
      varlong(v & 0xFFFFFFFFL);
    }

    void varlong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    /** Appends a copy of the {@code len} bytes already written at {@code from}. */
    void repeat(int from, int len) {
      ensure(len);
      System.arraycopy(buf, from, buf, pos, len);
      pos += len;
    }

    void bytes(byte[] b) {
      uvarint(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    void str(String s) {
      int n = s.length();
      if (n < 0x80) { // a one-byte length; ASCII is written char by char, without an encoded copy
        ensure(1 + n);
        int start = pos;
        buf[pos++] = (byte) n;
        for (int i = 0; i < n; i++) {
          char c = s.charAt(i);
          if (c >= 0x80) {
            pos = start;
            bytes(s.getBytes(StandardCharsets.UTF_8));
            return;
          }
          buf[pos++] = (byte) c;
        }
        return;
      }
      bytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A bounds-checked cursor over a payload. */
  private static final class In {
    final byte[] buf;
    int pos;

    In(byte[] buf) {
      this.buf = buf;
    }

    int u8() throws PushRecordDecodeException {
      if (pos >= buf.length) throw new PushRecordDecodeException(pos, "expected a byte, found the end of the record");
      return buf[pos++] & 0xFF;
    }

    long varlong() throws PushRecordDecodeException {
      int start = pos;
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= buf.length) throw new PushRecordDecodeException(start, "varint runs past the end of the record");
        int b = buf[pos++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) return v;
      }
      throw new PushRecordDecodeException(start, "varint longer than 10 bytes");
    }

    int uvarint() throws PushRecordDecodeException {
      int start = pos;
      long v = varlong();
      if (v < 0 || v > Integer.MAX_VALUE) throw new PushRecordDecodeException(start, "length or count " + v + " out of range");
      return (int) v;
    }

    int count(int minElementBytes, String what) throws PushRecordDecodeException {
      int start = pos;
      int n = uvarint();
      if ((long) n * minElementBytes > buf.length - pos) {
        throw new PushRecordDecodeException(start, what + " count " + n + " cannot fit in the " + (buf.length - pos)
            + " bytes left");
      }
      return n;
    }

    byte[] bytes() throws PushRecordDecodeException {
      int start = pos;
      int n = uvarint();
      if (n > buf.length - pos) {
        throw new PushRecordDecodeException(start, "length " + n + " exceeds the " + (buf.length - pos) + " bytes left");
      }
      byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return out;
    }

    String str() throws PushRecordDecodeException {
      int start = pos;
      int n = uvarint();
      if (n > buf.length - pos) {
        throw new PushRecordDecodeException(start, "string length " + n + " exceeds the " + (buf.length - pos)
            + " bytes left");
      }
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    // the last non-empty metadata section decoded: its bytes in buf and its list
    private int lastMetadataStart;
    private int lastMetadataLength;
    private List<Label> lastMetadata;

    /**
     * An entry's metadata. Consecutive entries mostly carry the same pairs (a {@code detected_level}),
     * so a section whose bytes repeat the previous one's is returned as the same list, without decoding
     * its strings again. The encoding is prefix-free (counts and lengths first), so equal leading bytes
     * of the previous section's length are exactly an equal section.
     */
    List<Label> metadata() throws PushRecordDecodeException {
      int n = lastMetadataLength;
      if (lastMetadata != null && n <= buf.length - pos
          && Arrays.equals(buf, pos, pos + n, buf, lastMetadataStart, lastMetadataStart + n)) {
        pos += n;
        return lastMetadata;
      }
      int start = pos;
      List<Label> out = labels();
      if (!out.isEmpty()) {
        lastMetadataStart = start;
        lastMetadataLength = pos - start;
        lastMetadata = out;
      }
      return out;
    }

    List<Label> labels() throws PushRecordDecodeException {
      int n = count(2, "label");
      if (n == 0) return List.of();
      Label[] out = new Label[n];
      for (int i = 0; i < n; i++) out[i] = new Label(str(), str());
      return List.of(out); // immutable: metadata lists may be shared between entries
    }
  }
}
