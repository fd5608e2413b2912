package io.lodge.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lodge.bench.load.LoghubLines;
import io.lodge.bench.load.PushBodyGenerator;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.push.ProtobufPushDecoder;
import io.lodge.ingester.push.PushApi;
import io.lodge.ingester.push.PushBodyDecoder;
import io.lodge.ingester.push.ServiceNameDiscovery;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xerial.snappy.Snappy;

/**
 * Push body decoding as the HTTP handler runs it ({@link PushBodyDecoder}): a 1000-line body over 10
 * streams, as snappy protobuf and as v1 JSON with the same entries. Scores are lines per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PushDecodeBench {
  private PushBodyDecoder decoder;
  private byte[] protobuf;
  private byte[] json;
  private byte[] uncompressed;
  private ProtobufPushDecoder protobufDecoder;

  @Setup
  public void setup() throws IOException {
    LoghubLines data = BenchFixtures.lines();
    PushBodyGenerator gen = BenchFixtures.generator(data, BenchFixtures.STREAMS, 7);
    decoder = BenchFixtures.decoder();
    protobuf = gen.next().body();
    json = toJson(BenchFixtures.decode(decoder, protobuf));
    uncompressed = Snappy.uncompress(protobuf);
    protobufDecoder = new ProtobufPushDecoder(new ServiceNameDiscovery(List.of()), ByteBufAllocator.DEFAULT, 1L << 30);
  }

  /** The same request as Loki's v1 JSON push body. */
  static byte[] toJson(PushRequest request) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("streams");
      for (PushStream s : request.streams()) {
        g.writeStartObject();
        g.writeObjectFieldStart("stream");
        for (var l : s.labels().labels()) {
          if (!l.name().equals("service_name")) g.writeStringField(l.name(), l.value());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("values");
        for (LogEntry e : s.entries()) {
          g.writeStartArray();
          g.writeString(Long.toString(e.timestampNanos()));
          g.writeString(e.lineString());
          g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public PushRequest protobufSnappy() {
    PushRequest r = decoder.decode(PushApi.V1, "application/x-protobuf", null, Unpooled.wrappedBuffer(protobuf));
    // the kept body goes back to its pool once the WAL record is encoded, as the Distributor does
    byte[] kept = r.source().claim();
    r.source().recycle(kept);
    return r;
  }

  /** The protobuf parse alone, over the uncompressed message (no snappy, no kept body). */
  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public PushRequest protobufParse() {
    return protobufDecoder.parse(uncompressed, 0, uncompressed.length);
  }

  @Benchmark
  @OperationsPerInvocation(BenchFixtures.LINES_PER_PUSH)
  public PushRequest json() {
    return decoder.decode(PushApi.V1, "application/json", null, Unpooled.wrappedBuffer(json));
  }
}
