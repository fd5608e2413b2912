package io.lodge.ingester.wal;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** A bounds-checked cursor over a push record's payload ({@link PushRecordCodec}). */
final class RecordInput {
  final byte[] buf;
  /** Where the record ends in {@link #buf}. */
  final int end;
  int pos;

  RecordInput(byte[] buf, int end) {
    this.buf = buf;
    this.end = end;
  }

  int u8() throws PushRecordDecodeException {
    if (pos >= end) throw new PushRecordDecodeException(pos, "expected a byte, found the end of the record");
    return buf[pos++] & 0xFF;
  }

  long varlong() throws PushRecordDecodeException {
    int start = pos;
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) throw new PushRecordDecodeException(start, "varint runs past the end of the record");
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
    if ((long) n * minElementBytes > end - pos) {
      throw new PushRecordDecodeException(start, what + " count " + n + " cannot fit in the " + (end - pos)
          + " bytes left");
    }
    return n;
  }

  /** The length of a {@code bytes} field, read and checked against the bytes left; its bytes follow at {@link #pos}. */
  int bytesLength() throws PushRecordDecodeException {
    int start = pos;
    int n = uvarint();
    if (n > end - pos) {
      throw new PushRecordDecodeException(start, "length " + n + " exceeds the " + (end - pos) + " bytes left");
    }
    return n;
  }

  String str() throws PushRecordDecodeException {
    int n = strLength();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** Steps over what {@link #str} reads, failing as it would. */
  void skipStr() throws PushRecordDecodeException {
    int n = strLength(); // not "pos += strLength()": that adds to pos as it was before the length's varint
    pos += n;
  }

  /** A string's byte length, read and checked against the bytes left. */
  private int strLength() throws PushRecordDecodeException {
    int start = pos;
    int n = uvarint();
    if (n > end - pos) {
      throw new PushRecordDecodeException(start, "string length " + n + " exceeds the " + (end - pos)
          + " bytes left");
    }
    return n;
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
    if (lastMetadata != null && n <= end - pos
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

  /**
   * A stream's label section as a set: from {@code cache} when its bytes were seen before (found after
   * stepping over the section with the same checks its decoding makes), else decoded and remembered.
   */
  LabelSet labelSet(RecordLabelCache cache) throws PushRecordDecodeException {
    if (cache == null) return LabelSet.of(labels());
    int start = pos;
    int n = count(2, "label");
    for (int i = 0; i < 2 * n; i++) skipStr();
    int end = pos;
    int slot = cache.slot(buf, start, end);
    LabelSet cached = slot < 0 ? null : cache.get(slot, buf, start, end);
    if (cached != null) return cached;
    pos = start;
    LabelSet set = LabelSet.of(labels());
    if (slot >= 0) cache.put(slot, buf, start, end, set);
    return set;
  }

  List<Label> labels() throws PushRecordDecodeException {
    int n = count(2, "label");
    if (n == 0) return List.of();
    Label[] out = new Label[n];
    for (int i = 0; i < n; i++) out[i] = new Label(str(), str());
    return List.of(out); // immutable: metadata lists may be shared between entries
  }
}
