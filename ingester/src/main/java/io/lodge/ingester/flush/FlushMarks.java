package io.lodge.ingester.flush;

import io.lodge.ingester.head.ReplayMarks;
import io.lodge.ingester.head.StreamMark;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-stream flush marks that replay needs, kept in the label index's commit data so that they
 * become durable in the same commit as the chunks they describe. Marks older than the oldest WAL
 * segment still on disk are pruned: no record they could skip is left.
 *
 * <p>Encoding (then base64): {@code version:u8=1, count:i32, count x (key:utf8 (i32 length), segment:i64,
 * offset:i64, retired:u8, highestTs:i64, lastTs:i64, lastLineHash:i64)}.
 */
public final class FlushMarks {
  /** The commit-data key the marks are stored under. */
  public static final String COMMIT_KEY = "lodge.flush_marks";

  private final Map<String, StreamMark> marks = new HashMap<>();

  /** Records the mark of a cut stream (replacing its older mark). */
  public synchronized void put(String key, StreamMark mark) {
    marks.put(key, mark);
  }

  /** A copy to stage the marks of a flush in, adopted with {@link #adopt} only once its commit succeeded. */
  public synchronized FlushMarks copy() {
    FlushMarks c = new FlushMarks();
    c.marks.putAll(marks);
    return c;
  }

  /** Takes over the marks of a staged copy. */
  public synchronized void adopt(FlushMarks staged) {
    marks.clear();
    marks.putAll(staged.marks);
  }

  /** Forgets marks whose records are all in deleted WAL segments. */
  public synchronized void pruneBelow(long oldestKeptSegment) {
    marks.values().removeIf(m -> m.segment() < oldestKeptSegment);
  }

  public synchronized int size() {
    return marks.size();
  }

  public synchronized ReplayMarks toReplayMarks() {
    return new ReplayMarks(marks);
  }

  public synchronized String encode() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + marks.size() * 96);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(1);
      out.writeInt(marks.size());
      for (Map.Entry<String, StreamMark> e : marks.entrySet()) {
        byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
        out.writeInt(k.length);
        out.write(k);
        StreamMark m = e.getValue();
        out.writeLong(m.segment());
        out.writeLong(m.offset());
        out.writeByte(m.retired() ? 1 : 0);
        out.writeLong(m.highestTs());
        out.writeLong(m.lastTs());
        out.writeLong(m.lastLineHash());
      }
      out.flush();
      return Base64.getEncoder().encodeToString(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes marks written by {@link #encode()}; null or empty input gives no marks. */
  public static FlushMarks decode(String encoded) {
    FlushMarks fm = new FlushMarks();
    if (encoded == null || encoded.isEmpty()) return fm;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(encoded)))) {
      int version = in.readUnsignedByte();
      if (version != 1) throw new IllegalStateException("unknown flush marks version " + version + " in index commit data");
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        int len = in.readInt();
        if (len < 0 || len > (1 << 24)) throw new IllegalStateException("corrupt flush marks: key length " + len);
        byte[] k = in.readNBytes(len);
        long segment = in.readLong(), offset = in.readLong();
        boolean retired = in.readByte() != 0;
        long highest = in.readLong(), last = in.readLong(), hash = in.readLong();
        fm.marks.put(new String(k, StandardCharsets.UTF_8), new StreamMark(segment, offset, retired, highest, last, hash));
      }
    } catch (IOException e) {
      throw new IllegalStateException("corrupt flush marks in index commit data: " + e.getMessage(), e);
    }
    return fm;
  }
}
