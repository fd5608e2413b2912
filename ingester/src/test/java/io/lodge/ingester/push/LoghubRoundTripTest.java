package io.lodge.ingester.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Real logs (the shared loghub fixtures, 16 systems x 2000 lines) pushed through every body format: what
 * a client sends is what the decoder returns, byte for byte. Skipped where the fixtures are not present.
 */
class LoghubRoundTripTest {
  private static final Path LOGHUB = io.lodge.ingester.testing.LoghubData.dir();

  @Test
  void everyFixtureLineSurvivesEveryEncoding() throws IOException {
    assumeTrue(Files.isDirectory(LOGHUB), "loghub fixtures not available");
    List<PushStream> streams = new ArrayList<>();
    try (Stream<Path> files = Files.list(LOGHUB)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        List<LogEntry> entries = new ArrayList<>();
        long ts = 1_700_000_000_000_000_000L;
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) entries.add(LogEntry.of(ts++, line));
        String system = f.getFileName().toString().replace("_2k.log", "").toLowerCase();
        streams.add(new PushStream(LabelSet.of("job", system, "env", "fixture"), entries));
      }
    }
    assumeTrue(!streams.isEmpty(), "no fixture files");
    PushRequest sent = new PushRequest(streams);
    TrackingAllocator alloc = new TrackingAllocator();
    PushBodyDecoder decoder = new PushBodyDecoder(TestLimits.noDiscovery(), 64L << 20, alloc);
    byte[] proto = PushBodies.proto(sent);
    byte[] json = PushBodies.v1Json(sent);
    Object[][] cases = {
        {"application/x-protobuf", null, PushBodies.snappy(proto)},
        {"application/x-protobuf", "gzip", PushBodies.gzip(PushBodies.snappy(proto))},
        {"application/json", null, json},
        {"application/json", "gzip", PushBodies.gzip(json)},
        {"application/json", "deflate", PushBodies.deflateRaw(json)},
    };
    for (Object[] c : cases) {
      for (PushBodies.BufKind kind : PushBodies.BufKind.values()) {
        ByteBuf body = kind.wrap((byte[]) c[2]);
        try {
          assertThat(decoder.decode(PushApi.V1, (String) c[0], (String) c[1], body)).as("%s %s %s", c[0], c[1], kind)
              .isEqualTo(sent);
        } finally {
          body.release();
        }
      }
    }
    assertThat(alloc.live()).isZero();
  }
}
