package io.lodge.ingester.push;

import io.lodge.ingester.model.EntryBatch;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushSource;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.pool.ByteArrayPool;
import io.lodge.ingester.push.PushRequestReader.RawStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Decodes Loki's protobuf push body (LOKI-COMPAT 1.5): a snappy <em>block</em> holding a
 * {@code logproto.PushRequest}. Parsed field by field over the array ({@link PushRequestReader}), so the only
 * allocations per entry are the line bytes it keeps and its structured metadata (a WAL record's kept body,
 * {@link #sourceEntries}, keeps no line bytes: its lines are ranges of the decompressed body).
 *
 * <pre>
 * PushRequest      { repeated StreamAdapter streams = 1; }
 * StreamAdapter    { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3 (ignored); }
 * EntryAdapter     { Timestamp timestamp = 1; string line = 2;
 *                    repeated LabelPairAdapter structuredMetadata = 3; repeated ... parsed = 4 (ignored); }
 * LabelPairAdapter { string name = 1; string value = 2; }
 * Timestamp        { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 *
 * Like Loki's gogo-generated code: a known field with the wrong wire type is an error, unknown fields are
 * skipped, strings are not UTF-8 checked (lines stay bytes as sent), an absent timestamp is the zero time,
 * a timestamp outside [0001-01-01, 10000-01-01) or with nanos outside [0, 1e9) fails the push. Timestamps
 * outside what int64 nanoseconds hold (before 1677-09-21, after 2262-04-11) are clamped to
 * {@link Long#MIN_VALUE} / {@link Long#MAX_VALUE}, which validation rejects as too old / too new.
 */
public final class ProtobufPushDecoder {
  /** 0001-01-01T00:00:00Z in Unix seconds. */
  static final long MIN_VALID_SECONDS = -62135596800L;
  /** 10000-01-01T00:00:00Z in Unix seconds. */
  static final long MAX_VALID_SECONDS = 253402300800L;

  /**
   * Bodies up to this size are kept for the WAL record (a shipper's batch is at most a few hundred KB
   * compressed); larger ones are stored line by line.
   */
  public static final int MAX_KEPT_BODY_BYTES = 1 << 20;
  /**
   * Kept bodies live from decoding until the WAL record is encoded, on the push worker: a few per worker
   * at a time, so a small pool (at most 2 MiB idle per size, 4 KiB to 1 MiB) recycles them all.
   */
  private static final ByteArrayPool KEPT_BODIES = new ByteArrayPool(1 << 12, MAX_KEPT_BODY_BYTES,
      new int[] {2 << 20, 2 << 20, 2 << 20, 2 << 20, 2 << 20, 2 << 20, 2 << 20, 2 << 20, 2 << 20});

  private final StreamLabelsCache labels;
  private final SnappyBlock snappy;

  /** {@code maxDecompressedBytes} bounds the snappy output (413 above it). */
  public ProtobufPushDecoder(ServiceNameDiscovery discovery, ByteBufAllocator alloc, long maxDecompressedBytes) {
    this(new StreamLabelsCache(discovery), new SnappyBlock(alloc, maxDecompressedBytes));
  }

  ProtobufPushDecoder(StreamLabelsCache labels, SnappyBlock snappy) {
    this.labels = labels;
    this.snappy = snappy;
  }

  /**
   * Decodes a snappy-block-compressed body; reads {@code body} without changing or releasing it. A body of
   * at most {@link #MAX_KEPT_BODY_BYTES} is kept in the result's {@link PushRequest#source} (gathered into
   * a pooled array, which the snappy decoder then reads in place), for the WAL record.
   */
  public PushRequest decodeSnappy(ByteBuf body) {
    int length = body.readableBytes();
    if (length == 0 || length > MAX_KEPT_BODY_BYTES) return decodeSnappyOnly(body);
    byte[] kept = KEPT_BODIES.take(KEPT_BODIES.roundUp(length));
    boolean handedOver = false;
    try {
      body.getBytes(body.readerIndex(), kept, 0, length);
      PushRequest request = decodeSnappyOnly(Unpooled.wrappedBuffer(kept, 0, length));
      handedOver = true;
      return request.withSource(new PushSource(kept, length, KEPT_BODIES::give));
    } finally {
      if (!handedOver) KEPT_BODIES.give(kept);
    }
  }

  private PushRequest decodeSnappyOnly(ByteBuf body) {
    ByteBuf raw = snappy.uncompress(body);
    try {
      return parse(raw);
    } finally {
      raw.release();
    }
  }

  /**
   * The entries of every stream of a snappy-compressed {@code PushRequest} that was decoded before (a WAL
   * record's kept body), in body order, and the array they are ranges of; labels are not parsed (the record
   * holds the streams' labels).
   */
  public record SourceBody(byte[] text, List<EntryBatch> streams) {}

  /**
   * Decodes a kept body ({@link SourceBody}) into an array from {@code output}, called once with the
   * uncompressed length: the entries are ranges of it, without a copy per line.
   *
   * @throws PushDecodeException when the bytes are not such a body
   */
  public static SourceBody sourceEntries(byte[] compressed, int offset, int length, IntFunction<byte[]> output) {
    // a snappy element expands at most ~21x (a 3-byte copy of 64 bytes): a larger declared length is
    // not a body that was decoded before, and must not allocate what it declares
    SnappyBlock snappy = new SnappyBlock(ByteBufAllocator.DEFAULT, Math.min(Integer.MAX_VALUE - 16, 32L * length + 64));
    ByteBuf raw = snappy.uncompress(Unpooled.wrappedBuffer(compressed, offset, length), output);
    if (raw.capacity() == 0) { // an empty body: the allocator's empty buffer, not an array from output
      raw.release();
      return new SourceBody(new byte[0], List.of());
    }
    byte[] text = raw.array();
    List<RawStream> streams = PushRequestReader.readOver(text, raw.arrayOffset() + raw.readerIndex(), raw.readableBytes());
    List<EntryBatch> out = new ArrayList<>(streams.size());
    for (RawStream r : streams) out.add(r.entries());
    return new SourceBody(text, out);
  }

  /** Parses an uncompressed {@code PushRequest}; does not change or release it. */
  public PushRequest parse(ByteBuf message) {
    if (message.hasArray()) {
      return parse(message.array(), message.arrayOffset() + message.readerIndex(), message.readableBytes());
    }
    byte[] copy = new byte[message.readableBytes()]; // direct or composite: the reader wants one array
    message.getBytes(message.readerIndex(), copy);
    return parse(copy, 0, copy.length);
  }

  /** Parses an uncompressed {@code PushRequest} held in an array (e.g. a gRPC message). */
  public PushRequest parse(byte[] message, int offset, int length) {
    List<RawStream> raw = PushRequestReader.read(message, offset, length);
    // Labels are parsed once the whole message is read, so a broken message is reported before a bad
    // label string, as Loki does (it unmarshals the request, then parses labels).
    List<PushStream> streams = new ArrayList<>(raw.size());
    for (RawStream r : raw) streams.add(new PushStream(labels.fromUtf8(r.labels()), r.entries()));
    return new PushRequest(streams);
  }

  /**
   * A decoded {@code Timestamp} as Unix nanoseconds, after Loki's range checks; {@code where} (" (stream
   * 0, entry 3)") ends the error message.
   */
  static long timestampNanos(long seconds, int nanos, String where) {
    if (seconds < MIN_VALID_SECONDS) {
      throw new PushDecodeException("proto: timestamp seconds:" + seconds + " nanos:" + nanos
          + " is before 0001-01-01T00:00:00Z" + where);
    }
    if (seconds >= MAX_VALID_SECONDS) {
      throw new PushDecodeException("proto: timestamp seconds:" + seconds + " nanos:" + nanos
          + " is not before 10000-01-01T00:00:00Z" + where);
    }
    if (nanos < 0 || nanos >= 1_000_000_000) {
      throw new PushDecodeException("proto: timestamp seconds:" + seconds + " nanos:" + nanos
          + ": nanos not in range [0, 1e9)" + where);
    }
    return toUnixNanos(seconds, nanos);
  }

  /** seconds*1e9+nanos (nanos in [0, 1e9)), clamped to the long range. */
  static long toUnixNanos(long seconds, int nanos) {
    try {
      // For negative seconds, fold one second into the nanos so that values just above Long.MIN_VALUE
      // (seconds = -9223372037, large nanos) are computed without an intermediate overflow.
      return seconds < 0
          ? Math.addExact(Math.multiplyExact(seconds + 1, 1_000_000_000L), nanos - 1_000_000_000L)
          : Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    } catch (ArithmeticException outsideInt64Nanos) {
      return seconds < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
