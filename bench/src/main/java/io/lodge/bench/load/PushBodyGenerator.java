package io.lodge.bench.load;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import io.lodge.proto.logproto.EntryAdapter;
import io.lodge.proto.logproto.PushRequest;
import io.lodge.proto.logproto.StreamAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.xerial.snappy.Snappy;

/**
 * Builds Loki push bodies (logproto {@code PushRequest}, snappy block format) for a fixed set of streams.
 * Each entry is a random loghub line of the stream's system plus {@code " req=<8 hex digits>"};
 * timestamps rise strictly per stream and start at the wall clock, so no entry repeats and a server with
 * ordered writes accepts every one. Streams are visited round robin, {@code streamsPerPush} per body.
 *
 * <p>Why hand encoding: the protobuf builders allocate an object per entry and per timestamp, which
 * would make the generator, not the server, the bottleneck. The wire layout is written here with
 * {@link CodedOutputStream} and the generated classes' field numbers, and the tests parse it back with
 * the generated parser. Each body draws its lines from a random of its own (seeded by the seed and its
 * index), so a body is the same whichever thread encodes it. Not thread-safe (it reuses scratch arrays):
 * give each thread its own instance.
 */
public final class PushBodyGenerator {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REQ = " req=".getBytes(StandardCharsets.US_ASCII);

  private final byte[][] streamLabels;
  private final byte[][][] streamLines;
  private final long[] lastTs;
  private final int linesPerPush;
  private final int streamsPerPush;
  private final long seed;
  private final LongSupplier clockNanos;
  private long produced;

  // scratch, reused for every body
  private byte[] lineBuf = new byte[1 << 16];
  private int[] lineOff;
  private long[] ts;
  private byte[] raw = new byte[1 << 16];
  private byte[] compressed = new byte[1 << 16];

  /**
   * @param labels the stream label strings (Loki selector syntax) this generator owns
   * @param systems for each stream, the index of its loghub system in {@code data}
   */
  public PushBodyGenerator(LoghubLines data, String[] labels, int[] systems, int linesPerPush, int streamsPerPush,
      long seed, LongSupplier clockNanos) {
    if (labels.length == 0) throw new IllegalArgumentException("a generator needs at least one stream");
    if (linesPerPush < 1) throw new IllegalArgumentException("lines per push must be positive, got " + linesPerPush);
    this.streamLabels = new byte[labels.length][];
    this.streamLines = new byte[labels.length][][];
    for (int i = 0; i < labels.length; i++) {
      streamLabels[i] = labels[i].getBytes(StandardCharsets.UTF_8);
      streamLines[i] = data.lines(systems[i]);
    }
    this.lastTs = new long[labels.length];
    this.linesPerPush = linesPerPush;
    this.streamsPerPush = Math.max(1, Math.min(Math.min(streamsPerPush, labels.length), linesPerPush));
    this.seed = seed;
    this.clockNanos = clockNanos;
    this.lineOff = new int[linesPerPush + 1];
    this.ts = new long[linesPerPush];
  }

  /**
   * The next body of the streaming sequence: {@code linesPerPush} new entries over the next
   * {@code streamsPerPush} streams, stamped from the clock and never at or below a stream's last entry.
   */
  public PushBody next() {
    return build(produced++, clockNanos.getAsLong(), true);
  }

  /**
   * Body {@code index} of the sequence, its every stream's entries stamped {@code firstNanos},
   * {@code firstNanos + 1}, ...; it depends only on the arguments (and the constructor's), so bodies can be
   * encoded in any order and on any number of generators built alike. The caller keeps a stream's
   * timestamps rising: {@code firstNanos} must grow by at least the entries one stream gets in a body
   * ({@code ceil(linesPerPush / streamsPerPush)}) between bodies that share a stream; pre-encoded runs
   * stamp body {@code i} {@code i} push intervals after the first, and an interval is at least
   * {@code linesPerPush} ns since the rate is at most 10^9 lines/s.
   */
  public PushBody body(long index, long firstNanos) {
    return build(index, firstNanos, false);
  }

  private PushBody build(long index, long firstNanos, boolean aboveLast) {
    SplittableRandom random = new SplittableRandom(mix(seed * 0xD1B54A32D192ED03L + index));
    int nStreams = streamsPerPush;
    int[] streamIdx = new int[nStreams];
    int[] firstEntry = new int[nStreams + 1];
    int pos = 0;
    int e = 0;
    long firstStream = Math.floorMod(index * nStreams, (long) streamLabels.length);
    for (int s = 0; s < nStreams; s++) {
      int stream = (int) ((firstStream + s) % streamLabels.length);
      streamIdx[s] = stream;
      firstEntry[s] = e;
      int count = linesPerPush / nStreams + (s < linesPerPush % nStreams ? 1 : 0);
      byte[][] pool = streamLines[stream];
      long t = aboveLast ? Math.max(firstNanos, lastTs[stream] + 1) : firstNanos;
      for (int k = 0; k < count; k++, e++, t++) {
        byte[] src = pool[random.nextInt(pool.length)];
        int need = pos + src.length + REQ.length + 8;
        if (need > lineBuf.length) lineBuf = Arrays.copyOf(lineBuf, Math.max(need, lineBuf.length * 2));
        System.arraycopy(src, 0, lineBuf, pos, src.length);
        pos += src.length;
        System.arraycopy(REQ, 0, lineBuf, pos, REQ.length);
        pos += REQ.length;
        int r = random.nextInt();
        for (int h = 7; h >= 0; h--) {
          lineBuf[pos + h] = HEX[r & 15];
          r >>>= 4;
        }
        pos += 8;
        lineOff[e + 1] = pos;
        ts[e] = t;
      }
      if (aboveLast) lastTs[stream] = t - 1;
    }
    firstEntry[nStreams] = e;
    return encode(streamIdx, firstEntry, pos);
  }

  // a full 64-bit mix: SplittableRandom seeds a golden-gamma step apart would give shifted copies of one sequence
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private PushBody encode(int[] streamIdx, int[] firstEntry, long lineBytes) {
    int[] streamSize = new int[streamIdx.length];
    int total = 0;
    for (int s = 0; s < streamIdx.length; s++) {
      byte[] labels = streamLabels[streamIdx[s]];
      int size = CodedOutputStream.computeTagSize(StreamAdapter.LABELS_FIELD_NUMBER)
          + CodedOutputStream.computeUInt32SizeNoTag(labels.length) + labels.length;
      for (int i = firstEntry[s]; i < firstEntry[s + 1]; i++) {
        int entry = entrySize(i);
        size += CodedOutputStream.computeTagSize(StreamAdapter.ENTRIES_FIELD_NUMBER)
            + CodedOutputStream.computeUInt32SizeNoTag(entry) + entry;
      }
      streamSize[s] = size;
      total += CodedOutputStream.computeTagSize(PushRequest.STREAMS_FIELD_NUMBER)
          + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }
    if (raw.length < total) raw = new byte[Math.max(total, raw.length * 2)];
    CodedOutputStream out = CodedOutputStream.newInstance(raw, 0, total);
    try {
      for (int s = 0; s < streamIdx.length; s++) {
        out.writeTag(PushRequest.STREAMS_FIELD_NUMBER, 2);
        out.writeUInt32NoTag(streamSize[s]);
        byte[] labels = streamLabels[streamIdx[s]];
        out.writeTag(StreamAdapter.LABELS_FIELD_NUMBER, 2);
        out.writeUInt32NoTag(labels.length);
        out.writeRawBytes(labels);
        for (int i = firstEntry[s]; i < firstEntry[s + 1]; i++) {
          out.writeTag(StreamAdapter.ENTRIES_FIELD_NUMBER, 2);
          out.writeUInt32NoTag(entrySize(i));
          long seconds = Math.floorDiv(ts[i], 1_000_000_000L);
          int nanos = (int) Math.floorMod(ts[i], 1_000_000_000L);
          out.writeTag(EntryAdapter.TIMESTAMP_FIELD_NUMBER, 2);
          out.writeUInt32NoTag(timestampSize(seconds, nanos));
          if (seconds != 0) out.writeInt64(Timestamp.SECONDS_FIELD_NUMBER, seconds);
          if (nanos != 0) out.writeInt32(Timestamp.NANOS_FIELD_NUMBER, nanos);
          int len = lineOff[i + 1] - lineOff[i];
          out.writeTag(EntryAdapter.LINE_FIELD_NUMBER, 2);
          out.writeUInt32NoTag(len);
          out.writeRawBytes(lineBuf, lineOff[i], len);
        }
      }
      out.checkNoSpaceLeft();
      int max = Snappy.maxCompressedLength(total);
      if (compressed.length < max) compressed = new byte[max];
      int n = Snappy.compress(raw, 0, total, compressed, 0);
      return new PushBody(Arrays.copyOf(compressed, n), firstEntry[streamIdx.length], lineBytes);
    } catch (IOException ex) {
      throw new UncheckedIOException("encoding a push body of " + total + " bytes failed", ex);
    }
  }

  private int entrySize(int i) {
    long seconds = Math.floorDiv(ts[i], 1_000_000_000L);
    int nanos = (int) Math.floorMod(ts[i], 1_000_000_000L);
    int tsSize = timestampSize(seconds, nanos);
    int len = lineOff[i + 1] - lineOff[i];
    return CodedOutputStream.computeTagSize(EntryAdapter.TIMESTAMP_FIELD_NUMBER)
        + CodedOutputStream.computeUInt32SizeNoTag(tsSize) + tsSize
        + CodedOutputStream.computeTagSize(EntryAdapter.LINE_FIELD_NUMBER)
        + CodedOutputStream.computeUInt32SizeNoTag(len) + len;
  }

  private static int timestampSize(long seconds, int nanos) {
    return (seconds != 0 ? CodedOutputStream.computeInt64Size(Timestamp.SECONDS_FIELD_NUMBER, seconds) : 0)
        + (nanos != 0 ? CodedOutputStream.computeInt32Size(Timestamp.NANOS_FIELD_NUMBER, nanos) : 0);
  }
}
