package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerGcTest {
  private static String jvm(long young, double youngSeconds, long old, double oldSeconds) {
    return """
        # HELP jvm_gc_collection_seconds Time spent in a given JVM garbage collector in seconds.
        # TYPE jvm_gc_collection_seconds summary
        jvm_gc_collection_seconds_count{gc="G1 Young Generation"} %d
        jvm_gc_collection_seconds_sum{gc="G1 Young Generation"} %s
        jvm_gc_collection_seconds_count{gc="G1 Old Generation"} %d
        jvm_gc_collection_seconds_sum{gc="G1 Old Generation"} %s
        jvm_memory_used_bytes{area="heap"} 3.28096808E8
        """.formatted(young, youngSeconds, old, oldSeconds);
  }

  @Test
  void aJvmServersCollectionsDuringTheRunAreTheDifferenceOfTwoScrapes() {
    List<ServerGc.Collector> before = ServerGc.parse(jvm(100, 1.5, 2, 0.2));
    List<ServerGc.Collector> after = ServerGc.parse(jvm(617, 6.344, 30, 1.856));
    assertThat(before).extracting(ServerGc.Collector::name).containsExactly("G1 Young Generation", "G1 Old Generation");
    List<ServerGc.Collector> run = ServerGc.delta(before, after);
    assertThat(run).extracting(ServerGc.Collector::count).containsExactly(517L, 28L);
    assertThat(run.get(0).seconds()).isCloseTo(4.844, within(1e-9));
    assertThat(run.get(1).seconds()).isCloseTo(1.656, within(1e-9));
    assertThat(ServerGc.describe(run)).isEqualTo("G1 Young Generation 517 (4.8 s), G1 Old Generation 28 (1.7 s)");
  }

  @Test
  void aGoServerShowsOneCollectorAndOtherExpositionsNone() {
    String go = """
        go_gc_duration_seconds{quantile="0.5"} 0.0001
        go_gc_duration_seconds_sum 2.5
        go_gc_duration_seconds_count 4000
        """;
    assertThat(ServerGc.parse(go)).containsExactly(new ServerGc.Collector("go", 4000, 2.5));
    assertThat(ServerGc.parse("up 1\nlodge_ingester_streams 1000\n")).isEmpty();
    // a collector that appears only in the second scrape counts from zero
    assertThat(ServerGc.delta(List.of(), ServerGc.parse(go))).containsExactly(new ServerGc.Collector("go", 4000, 2.5));
  }
}
