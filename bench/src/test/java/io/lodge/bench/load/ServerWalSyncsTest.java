package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerWalSyncsTest {
  /** Lodge's histogram as its /metrics shows it: cumulative buckets with the client's bound formatting. */
  private static String lodge(long upTo1ms, long upTo10ms, long total, double sumSeconds) {
    return """
        # TYPE lodge_wal_fsync_duration_seconds histogram
        lodge_wal_fsync_duration_seconds_bucket{le="1.0E-4"} 0
        lodge_wal_fsync_duration_seconds_bucket{le="0.001"} %d
        lodge_wal_fsync_duration_seconds_bucket{le="0.01"} %d
        lodge_wal_fsync_duration_seconds_bucket{le="0.1"} %d
        lodge_wal_fsync_duration_seconds_bucket{le="+Inf"} %d
        lodge_wal_fsync_duration_seconds_count %d
        lodge_wal_fsync_duration_seconds_sum %s
        # TYPE lodge_wal_records_per_commit histogram
        lodge_wal_records_per_commit_bucket{le="1.0"} 7
        lodge_wal_records_per_commit_count 9
        """.formatted(upTo1ms, upTo10ms, total, total, total, Double.toString(sumSeconds));
  }

  @Test
  void theRunsSyncsAreTheDifferenceOfTwoScrapes() {
    ServerWalSyncs.Syncs before = ServerWalSyncs.parse(lodge(100, 190, 200, 0.5));
    assertThat(before.count()).isEqualTo(200);
    assertThat(before.buckets()).containsEntry(0.01, 190.0).containsEntry(Double.POSITIVE_INFINITY, 200.0).hasSize(5);

    // 1,000 more syncs: 600 under 1 ms, 300 from 1 to 10 ms, 100 from 10 to 100 ms, 3 s in all
    ServerWalSyncs.Syncs run = ServerWalSyncs.delta(before, ServerWalSyncs.parse(lodge(700, 1090, 1200, 3.5)));
    assertThat(run.count()).isEqualTo(1000);
    assertThat(run.sumSeconds()).isEqualTo(3.0);
    // p99 falls in the (10 ms, 100 ms] bucket at rank 990 of its 100: linear inside it, 91 ms
    assertThat(ServerWalSyncs.describe(run, 10))
        .isEqualTo("1,000 syncs (100 a second), 3.00 ms mean, p99 91.0 ms, 10.0% over 10 ms");
  }

  @Test
  void aServerWithoutTheHistogramOrARunWithoutSyncsShowsNothing() {
    assertThat(ServerWalSyncs.parse("up 1\nlodge_wal_records_written_total 5\n")).isEqualTo(ServerWalSyncs.Syncs.NONE);
    assertThat(ServerWalSyncs.describe(ServerWalSyncs.Syncs.NONE, 10)).isEmpty();
    ServerWalSyncs.Syncs same = ServerWalSyncs.parse(lodge(1, 2, 3, 0.01));
    assertThat(ServerWalSyncs.describe(ServerWalSyncs.delta(same, same), 10)).isEmpty();
    // bounds only in the second scrape count from zero
    assertThat(ServerWalSyncs.delta(ServerWalSyncs.Syncs.NONE, same)).isEqualTo(same);
  }
}
