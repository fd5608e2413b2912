package io.lodge.ingester.wal;

import io.lodge.ingester.model.EntryBatch;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.push.ProtobufPushDecoder;
import io.lodge.ingester.validate.LevelDetector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

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
 * set's (name-sorted) order, so decoding rebuilds an equal set.
 *
 * <p>A push that arrived as a snappy protobuf body ({@link PushRequest#source}) is written as version 2:
 * that body as received, and per stored entry only what validation changed, so the lines are not
 * written a second time (a third of the bytes to write and sync, and no per-line encoding):
 *
 * <pre>
 * record  = version:u8 (= 2)  tenant:str  body:bytes  streamCount:uvarint  stream*
 * stream  = sourceSkip:uvarint  labelCount:uvarint  (name:str value:str)*  entryCount:uvarint  entry*
 * entry   = code:u8  [entrySkip:uvarint]  [tsChange:zigzag-varlong]  [lineLength:uvarint]
 *           [metadataCount:uvarint  (name:str value:str)*]
 * </pre>
 *
 * A stream names its body stream by the number of body streams skipped since the previous one's; an entry
 * is the body stream's next entry unless {@code code & 0x10} (then {@code entrySkip} entries are skipped
 * first), with the body's timestamp plus {@code tsChange} when {@code code & 0x20}, the first
 * {@code lineLength} bytes of its line when {@code code & 0x40} (truncation). {@code code & 0x0F} is its
 * metadata: 0 none, 1 to 8 a lone {@code detected_level} of {@link LevelDetector#LEVELS}, 15 the list that follows.
 * The labels and the metadata are the stored ones, so replay does not depend on the limits the push was
 * validated with.
 *
 * <p>The record carries no checksum of its own: the WAL frame's CRC32C covers it. Decoding checks every
 * count and length against the bytes left before allocating, so garbage fails with a
 * {@link PushRecordDecodeException}, never an OutOfMemoryError, and trailing bytes are refused.
 */
public final class PushRecordCodec {
  /** The format version of a record that holds every line. */
  public static final int VERSION = 1;
  /** The format version of a record that holds the push's compressed body and what validation changed. */
  public static final int VERSION_WITH_BODY = 2;

  private static final int METADATA_LISTED = 0x0F;
  private static final int ENTRY_SKIP = 0x10;
  private static final int TS_CHANGE = 0x20;
  private static final int TRUNCATED = 0x40;

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
    return encodePooled(tenant, request, null, null, 0);
  }

  /**
   * {@link #encodePooled(String, PushRequest)}, as version 2 when {@code body} (the first {@code bodyLength}
   * bytes of it) is the snappy body that {@code sources} were decoded from and {@code stored} is what
   * validation and the limits kept of them. Falls back to version 1 when most entries were dropped (the
   * body would be the larger part) or an entry cannot be traced back to its source.
   */
  public static EncodedRecord encodePooled(String tenant, PushRequest stored, List<PushStream> sources, byte[] body,
      int bodyLength) {
    if (body != null && worthKeepingBody(stored, sources)) {
      Out out = new Out(RecordBuffers.take(estimateWithBody(tenant, stored, bodyLength)));
      byte[] first = out.buf;
      if (writeWithBody(out, tenant, stored, sources, body, bodyLength)) return finish(out, first);
      RecordBuffers.give(out.buf);
      if (out.buf != first) RecordBuffers.give(first);
    }
    Out out = new Out(RecordBuffers.take(estimate(tenant, stored)));
    byte[] first = out.buf;
    write(out, tenant, stored);
    return finish(out, first);
  }

  private static EncodedRecord finish(Out out, byte[] first) {
    // outgrew the estimate (long metadata): the first array can go back now; the grown one is offered to
    // the pool too when the record is done (give() drops sizes it does not pool)
    if (out.buf != first) RecordBuffers.give(first);
    return new EncodedRecord(out.buf, out.pos, true);
  }

  /** The body costs its compressed size whatever is kept: worth it while at least half the entries are. */
  private static boolean worthKeepingBody(PushRequest stored, List<PushStream> sources) {
    int total = 0;
    for (PushStream s : sources) total += s.entries().size();
    return stored.entryCount() * 2L >= total;
  }

  /**
   * Writes a version 2 record; false when some stored stream or entry is not found in {@code sources}
   * (the caller then writes version 1). Any source entry whose line starts with the stored line will do:
   * the entry records every difference from it, so a wrong but equal match still decodes to the same entry.
   */
  private static boolean writeWithBody(Out out, String tenant, PushRequest stored, List<PushStream> sources,
      byte[] body, int bodyLength) {
    out.b(VERSION_WITH_BODY);
    out.str(tenant);
    out.bytes(body, 0, bodyLength);
    out.uvarint(stored.streams().size());
    int nextSource = 0;
    for (PushStream s : stored.streams()) {
      // the leftmost source stream that holds all of s: leftmost choices never rule out a later stream's
      int source = nextSource;
      int mark = out.pos;
      for (; source < sources.size(); source++) {
        PushStream c = sources.get(source);
        if (c.labels() != s.labels() && !c.labels().equals(s.labels())) continue;
        out.uvarint(source - nextSource);
        if (writeStream(out, s, c.entries())) break;
        out.pos = mark;
      }
      if (source == sources.size()) return false;
      nextSource = source + 1;
    }
    return true;
  }

  /** Writes {@code s} against its source's entries; false when some entry of it is not found there. */
  private static boolean writeStream(Out out, PushStream s, EntryBatch from) {
    writeLabels(out, s.labels());
    EntryBatch entries = s.entries();
    out.uvarint(entries.size());
    int next = 0;
    for (int i = 0, count = entries.size(); i < count; i++) {
      byte[] line = entries.line(i);
      int at = findEntry(from, next, line);
      if (at < 0) return false;
      long ts = entries.timestampNanos(i);
      long sourceTs = from.timestampNanos(at);
      boolean truncated = line.length != from.line(at).length;
      List<Label> metadata = entries.metadata(i);
      int levelCode = levelCode(metadata);
      int code = levelCode >= 0 ? levelCode : METADATA_LISTED;
      if (at != next) code |= ENTRY_SKIP;
      if (ts != sourceTs) code |= TS_CHANGE;
      if (truncated) code |= TRUNCATED;
      out.b(code);
      if (at != next) out.uvarint(at - next);
      if (ts != sourceTs) {
        long d = ts - sourceTs;
        out.varlong((d << 1) ^ (d >> 63));
      }
      if (truncated) out.uvarint(line.length);
      if (levelCode < 0) writeLabels(out, metadata);
      next = at + 1;
    }
    return true;
  }

  /** The first entry at or after {@code from} whose line is {@code line} or starts with it, or -1. */
  private static int findEntry(EntryBatch entries, int from, byte[] line) {
    for (int i = from, n = entries.size(); i < n; i++) {
      byte[] candidate = entries.line(i);
      if (candidate == line) return i;
      if (candidate.length >= line.length && Arrays.equals(candidate, 0, line.length, line, 0, line.length)) return i;
    }
    return -1;
  }

  /** 1 to 8 for a lone {@code detected_level} of a known level, 0 for no metadata, else -1. */
  private static int levelCode(List<Label> metadata) {
    if (metadata.isEmpty()) return 0;
    if (metadata.size() != 1) return -1;
    Label l = metadata.get(0);
    if (!l.name().equals(LevelDetector.DETECTED_LEVEL)) return -1;
    int i = LevelDetector.levelIndex(l.value());
    return i < 0 ? -1 : i + 1;
  }

  private static void writeLabels(Out out, List<Label> labels) {
    out.uvarint(labels.size());
    for (Label l : labels) {
      out.str(l.name());
      out.str(l.value());
    }
  }

  private static void writeLabels(Out out, LabelSet labels) {
    out.uvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      out.str(labels.get(i).name());
      out.str(labels.get(i).value());
    }
  }

  private static void write(Out out, String tenant, PushRequest request) {
    out.b(VERSION);
    out.str(tenant);
    out.uvarint(request.streams().size());
    for (PushStream s : request.streams()) {
      writeLabels(out, s.labels());
      EntryBatch entries = s.entries();
      out.uvarint(entries.size());
      long prev = 0;
      // the last non-empty metadata list written, and where its bytes are: entries share a few lists (one
      // per detected level), and copying the bytes beats writing the strings again char by char
      List<Label> lastMetadata = null;
      int lastStart = 0;
      int lastLength = 0;
      for (int i = 0, count = entries.size(); i < count; i++) {
        long ts = entries.timestampNanos(i);
        long d = ts - prev;
        out.varlong((d << 1) ^ (d >> 63));
        prev = ts;
        out.bytes(entries.lineArray(i), entries.lineOffset(i), entries.lineLength(i));
        List<Label> md = entries.metadata(i);
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
    return decode(payload, null);
  }

  /**
   * Decodes a payload written by {@link #encode}, taking label sets seen before from {@code labels} (the
   * decoding thread's own; null for none).
   */
  public static DecodedPush decode(byte[] payload, RecordLabelCache labels) throws PushRecordDecodeException {
    return decode(payload, payload.length, labels, byte[]::new);
  }

  /**
   * Decodes a payload written by {@link #encode} held in {@code payload[0, length)}, without a copy per
   * line: the lines are ranges of {@code payload} (version 1) or of the kept body decompressed into an
   * array from {@code bodies} (version 2, {@link DecodedPush#body}), so the result is valid while those
   * arrays are kept unchanged.
   */
  public static DecodedPush decode(byte[] payload, int length, RecordLabelCache labels, IntFunction<byte[]> bodies)
      throws PushRecordDecodeException {
    Objects.checkFromIndexSize(0, length, payload.length);
    RecordInput in = new RecordInput(payload, length);
    int version = in.u8();
    if (version == VERSION_WITH_BODY) return decodeWithBody(in, labels, bodies);
    if (version != VERSION) {
      throw new PushRecordDecodeException(0, "unsupported push record version " + version + ", expected "
          + VERSION + " or " + VERSION_WITH_BODY);
    }
    String tenant = in.str();
    // Each count is bounded by the bytes left at the minimum size of one element.
    int streamCount = in.count(2, "stream");
    List<PushStream> streams = new ArrayList<>(streamCount);
    for (int s = 0; s < streamCount; s++) {
      LabelSet streamLabels = in.labelSet(labels);
      int entryCount = in.count(3, "entry");
      EntryBatch.Builder entries = EntryBatch.Builder.over(payload, entryCount);
      long prev = 0;
      for (int e = 0; e < entryCount; e++) {
        long z = in.varlong();
        long ts = prev + ((z >>> 1) ^ -(z & 1));
        prev = ts;
        int lineLength = in.bytesLength();
        int start = in.pos;
        in.pos += lineLength;
        entries.add(ts, start, lineLength, in.metadata());
      }
      streams.add(new PushStream(streamLabels, entries.build()));
    }
    if (in.pos != in.end) {
      throw new PushRecordDecodeException(in.pos, (in.end - in.pos) + " trailing bytes after the last stream");
    }
    return new DecodedPush(tenant, new PushRequest(streams), null);
  }

  private static DecodedPush decodeWithBody(RecordInput in, RecordLabelCache labels, IntFunction<byte[]> bodies)
      throws PushRecordDecodeException {
    String tenant = in.str();
    int bodyStart = in.pos;
    int bodyLength = in.uvarint();
    if (bodyLength > in.end - in.pos) {
      throw new PushRecordDecodeException(bodyStart, "body length " + bodyLength + " exceeds the "
          + (in.end - in.pos) + " bytes left");
    }
    ProtobufPushDecoder.SourceBody body;
    try {
      body = ProtobufPushDecoder.sourceEntries(in.buf, in.pos, bodyLength, bodies);
    } catch (RuntimeException e) { // PushDecodeException, PushTooLargeException: not a body this record could hold
      throw new PushRecordDecodeException(bodyStart, "kept push body does not decode: " + e.getMessage());
    }
    in.pos += bodyLength;
    List<EntryBatch> sources = body.streams();
    int streamCount = in.count(3, "stream");
    List<PushStream> streams = new ArrayList<>(streamCount);
    int nextSource = 0;
    for (int s = 0; s < streamCount; s++) {
      int at = in.pos;
      long source = (long) nextSource + in.uvarint();
      if (source >= sources.size()) {
        throw new PushRecordDecodeException(at, "stream " + s + " refers to body stream " + source + " of "
            + sources.size());
      }
      nextSource = (int) source + 1;
      LabelSet streamLabels = in.labelSet(labels);
      EntryBatch from = sources.get((int) source);
      int entryCount = in.count(1, "entry");
      // While every entry is the body entry at its own index, unchanged but for its metadata (validation
      // kept the push whole, as it mostly does), the stored stream shares the body stream's columns; the
      // first entry that differs starts a batch of its own.
      List<Label>[] sharedMetadata = entryCount == from.size() ? EntryBatch.newMetadataArray(entryCount) : null;
      EntryBatch.Builder entries = null;
      int next = 0;
      for (int e = 0; e < entryCount; e++) {
        int codeAt = in.pos;
        int code = in.u8();
        long index = next;
        if ((code & ENTRY_SKIP) != 0) index += in.uvarint();
        if (index >= from.size()) {
          throw new PushRecordDecodeException(codeAt, "entry " + e + " refers to body entry " + index + " of "
              + from.size());
        }
        next = (int) index + 1;
        long ts = from.timestampNanos((int) index);
        if ((code & TS_CHANGE) != 0) {
          long z = in.varlong();
          ts += (z >>> 1) ^ -(z & 1);
        }
        int lineLength = from.lineLength((int) index);
        if ((code & TRUNCATED) != 0) {
          int lengthAt = in.pos;
          int length = in.uvarint();
          if (length > lineLength) {
            throw new PushRecordDecodeException(lengthAt, "line length " + length + " exceeds the body line's "
                + lineLength);
          }
          lineLength = length;
        }
        int levelCode = code & METADATA_LISTED;
        List<Label> metadata;
        if (levelCode == METADATA_LISTED) {
          metadata = in.metadata();
        } else if (levelCode == 0) {
          metadata = List.of();
        } else if (levelCode <= LevelDetector.LEVELS.size()) {
          // the validator's own shared lists: the head remembers metadata lists by identity
          metadata = LevelDetector.loneLevel(levelCode - 1);
        } else {
          throw new PushRecordDecodeException(codeAt, "unknown metadata code " + levelCode);
        }
        if (sharedMetadata != null && index == e && ts == from.timestampNanos(e) && lineLength == from.lineLength(e)) {
          sharedMetadata[e] = metadata;
          continue;
        }
        if (entries == null) {
          entries = EntryBatch.Builder.over(body.text(), entryCount);
          for (int k = 0; k < e; k++) {
            entries.add(from.timestampNanos(k), from.lineOffset(k), from.lineLength(k), sharedMetadata[k]);
          }
          sharedMetadata = null;
        }
        entries.add(ts, from.lineOffset((int) index), lineLength, metadata);
      }
      EntryBatch stored = entries != null ? entries.build()
          : entryCount == 0 ? EntryBatch.empty() : from.withMetadata(sharedMetadata);
      streams.add(new PushStream(streamLabels, stored));
    }
    if (in.pos != in.end) {
      throw new PushRecordDecodeException(in.pos, (in.end - in.pos) + " trailing bytes after the last stream");
    }
    return new DecodedPush(tenant, new PushRequest(streams), body.text());
  }

  private static int estimateWithBody(String tenant, PushRequest stored, int bodyLength) {
    long n = 16 + tenant.length() + (long) bodyLength;
    for (PushStream s : stored.streams()) n += 8 + s.labels().canonical().length() + 2L * s.entries().size();
    return (int) Math.min(n, Integer.MAX_VALUE - 16);
  }

  private static int estimate(String tenant, PushRequest request) {
    long n = 8 + tenant.length();
    for (PushStream s : request.streams()) {
      n += 8 + s.labels().canonical().length();
      EntryBatch entries = s.entries();
      for (int i = 0, count = entries.size(); i < count; i++) {
        n += 12 + entries.lineLength(i) + 24L * entries.metadata(i).size();
      }
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
      bytes(b, 0, b.length);
    }

    void bytes(byte[] b, int off, int len) {
      uvarint(len);
      ensure(len);
      System.arraycopy(b, off, buf, pos, len);
      pos += len;
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
}
