package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSealsTest {
  private static String lodge(long sealerBlocks, long sealerRaw, long pushBlocks, long pushRaw) {
    return """
        # TYPE lodge_ingester_blocks_sealed_total counter
        lodge_ingester_blocks_sealed_total{where="flush"} 100.0
        lodge_ingester_blocks_sealed_total{where="push"} %d.0
        lodge_ingester_blocks_sealed_total{where="sealer"} %d.0
        # TYPE lodge_ingester_sealed_raw_bytes_total counter
        lodge_ingester_sealed_raw_bytes_total{where="flush"} 1.0E7
        lodge_ingester_sealed_raw_bytes_total{where="push"} %s
        lodge_ingester_sealed_raw_bytes_total{where="sealer"} %s
        # TYPE lodge_ingester_sealed_stored_bytes_total counter
        lodge_ingester_sealed_stored_bytes_total{where="flush"} 1000000.0
        lodge_ingester_sealed_stored_bytes_total{where="push"} %d.0
        lodge_ingester_sealed_stored_bytes_total{where="sealer"} %d.0
        lodge_ingester_streams 1000.0
        """.formatted(pushBlocks, sealerBlocks, (double) pushRaw, (double) sealerRaw, pushRaw / 10, sealerRaw / 10);
  }

  @Test
  void theRunsSealsAreTheDifferenceOfTwoScrapesByWhere() {
    List<ServerSeals.Where> before = ServerSeals.parse(lodge(1_000, 100_000_000, 10, 1_000_000));
    assertThat(before).extracting(ServerSeals.Where::name).containsExactly("flush", "push", "sealer");
    assertThat(before.get(2)).isEqualTo(new ServerSeals.Where("sealer", 1_000, 100_000_000, 10_000_000));

    List<ServerSeals.Where> run = ServerSeals.delta(before, ServerSeals.parse(lodge(9_000, 900_000_000, 1_010, 101_000_000)));
    assertThat(run).containsExactly(new ServerSeals.Where("flush", 0, 0, 0),
        new ServerSeals.Where("push", 1_000, 100_000_000, 10_000_000),
        new ServerSeals.Where("sealer", 8_000, 800_000_000, 80_000_000));
    assertThat(ServerSeals.describe(run))
        .isEqualTo("9,000 blocks, 900 MB raw, 100 KB a block, 10.00x: flush 0%, push 11%, sealer 89% of the raw bytes");
  }

  @Test
  void aServerWithoutSealCountersOrARunWithoutSealsShowsNothing() {
    assertThat(ServerSeals.parse("up 1\njvm_gc_collection_seconds_count{gc=\"G1 Young Generation\"} 3\n")).isEmpty();
    assertThat(ServerSeals.describe(List.of())).isEmpty();
    List<ServerSeals.Where> same = ServerSeals.parse(lodge(5, 500, 0, 0));
    assertThat(ServerSeals.describe(ServerSeals.delta(same, same))).isEmpty();
    // a place that appears only in the second scrape counts from zero
    assertThat(ServerSeals.delta(List.of(), same)).isEqualTo(same);
  }
}
