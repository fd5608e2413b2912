package io.lodge.bench.jmh;

import io.lodge.bench.load.LoghubLines;
import io.lodge.bench.load.PushBodyGenerator;
import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.push.PushBodyDecoder;
import io.lodge.ingester.validate.ValidationMetrics;
import io.lodge.ingester.validate.Validator;
import io.lodge.ingester.wal.DecodedPush;
import io.lodge.ingester.wal.EncodedRecord;
import io.lodge.ingester.wal.PushRecordCodec;
import io.lodge.ingester.wal.PushRecordDecodeException;
import io.lodge.ingester.wal.RecordBuffers;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One generator push's WAL record (1,000 lines over 10 streams, validated with Loki's default limits, so
 * each entry carries a {@code detected_level}): encoded line by line (version 1) and as the received
 * body plus what validation changed (version 2), and decoded back as replay does. Lines per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalRecordBench {
  private PushRequest decoded;
  private PushRequest stored;
  private byte[] body;
  private byte[] lineByLineRecord;
  private byte[] withBodyRecord;

  @Setup
  public void setup() throws IOException {
    LoghubLines data = BenchFixtures.lines();
    PushBodyGenerator gen = BenchFixtures.generator(data, BenchFixtures.STREAMS, 11);
    PushBodyDecoder decoder = BenchFixtures.decoder();
    decoded = BenchFixtures.decode(decoder, gen.next().body());
    byte[] kept = decoded.source().claim();
    body = Arrays.copyOf(kept, decoded.source().length());
    decoded.source().recycle(kept);
    // "now" just after the generator's synthetic clock, so that no entry is too old
    Validator validator = new Validator(LimitsConfig.defaults(), new ValidationMetrics(new PrometheusRegistry()));
    stored = validator.validate("fake", decoded, 1_700_000_100_000_000_000L).accepted();
    if (stored.entryCount() != BenchFixtures.LINES_PER_PUSH) {
      throw new IllegalStateException("validation kept " + stored.entryCount() + " of " + BenchFixtures.LINES_PER_PUSH);
    }
    lineByLineRecord = PushRecordCodec.encode("fake", stored);
    withBodyRecord = copy(PushRecordCodec.encodePooled("fake", stored, decoded.streams(), body, body.length));
    if (withBodyRecord[0] != PushRecordCodec.VERSION_WITH_BODY) throw new IllegalStateException("no body kept");
    System.out.printf("record bytes: line by line %,d, with the body %,d (body %,d)%n", lineByLineRecord.length,
        withBodyRecord.length, body.length);
  }

  private static byte[] copy(EncodedRecord r) {
    byte[] out = Arrays.copyOf(r.bytes(), r.length());
    RecordBuffers.give(r.bytes());
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public int encodeLineByLine() {
    EncodedRecord r = PushRecordCodec.encodePooled("fake", stored);
    RecordBuffers.give(r.bytes());
    return r.length();
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public int encodeWithBody() {
    EncodedRecord r = PushRecordCodec.encodePooled("fake", stored, decoded.streams(), body, body.length);
    RecordBuffers.give(r.bytes());
    return r.length();
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public DecodedPush replayLineByLine() throws PushRecordDecodeException {
    return PushRecordCodec.decode(lineByLineRecord);
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public DecodedPush replayWithBody() throws PushRecordDecodeException {
    return PushRecordCodec.decode(withBodyRecord);
  }
}
