package io.lodge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Parsing the push route's buckets and interpolating quantiles between two scrapes, as histogram_quantile does. */
class ServerPushLatencyTest {
  private static String exposition(long le5ms, long le10ms, long le25ms, long inf, long errors) {
    String p = "lodge_request_duration_seconds_bucket{method=\"POST\",route=\"/loki/api/v1/push\",status_code=\"204\",le=\"";
    String q = "lodge_request_duration_seconds_bucket{method=\"POST\",route=\"/loki/api/v1/push\",status_code=\"429\",le=\"";
    return "# TYPE lodge_request_duration_seconds histogram\n"
        + p + "0.005\"} " + le5ms + "\n" + p + "0.01\"} " + le10ms + "\n" + p + "0.025\"} " + le25ms + "\n"
        + p + "+Inf\"} " + inf + "\n"
        + q + "0.005\"} " + errors + "\n" + q + "+Inf\"} " + errors + "\n"
        + "lodge_request_duration_seconds_bucket{method=\"GET\",route=\"/loki/api/v1/query\",status_code=\"200\",le=\"0.005\"} 99\n";
  }

  @Test
  void onlySuccessfulPushesCountAndQuantilesInterpolateInsideBuckets() {
    TreeMap<Double, Double> before = ServerPushLatency.parse(exposition(100, 100, 100, 100, 7));
    TreeMap<Double, Double> after = ServerPushLatency.parse(exposition(600, 1080, 1100, 1100, 50));
    assertThat(after).containsEntry(0.005, 600.0).containsEntry(Double.POSITIVE_INFINITY, 1100.0).hasSize(4);
    // 1000 pushes in the run: 500 under 5 ms, 480 in (5, 10] ms, 20 in (10, 25] ms
    assertThat(ServerPushLatency.quantile(0.5, before, after)).isCloseTo(0.005, within(1e-9));
    assertThat(ServerPushLatency.quantile(0.25, before, after)).isCloseTo(0.0025, within(1e-9));
    // rank 990 is the 10th of 20 in (10, 25] ms: 10 + 15 * 10 / 20 = 17.5 ms
    assertThat(ServerPushLatency.quantile(0.99, before, after)).isCloseTo(0.0175, within(1e-9));
  }

  @Test
  void aQuantileInTheInfiniteBucketIsTheLastFiniteBoundAndNoPushesGiveNaN() {
    TreeMap<Double, Double> after = ServerPushLatency.parse(exposition(10, 10, 10, 100, 0));
    assertThat(ServerPushLatency.quantile(0.99, Map.of(), after)).isEqualTo(0.025);
    assertThat(ServerPushLatency.quantile(0.5, after, after)).isNaN();
  }

  @Test
  void lokisRouteNamesAreReadToo() {
    String loki = "loki_request_duration_seconds_bucket{method=\"POST\",route=\"loki_api_v1_push\",status_code=\"204\",ws=\"false\",le=\"0.05\"} 3\n"
        + "loki_request_duration_seconds_bucket{method=\"POST\",route=\"loki_api_v1_push\",status_code=\"204\",ws=\"false\",le=\"+Inf\"} 4\n";
    assertThat(ServerPushLatency.parse(loki)).containsEntry(0.05, 3.0).containsEntry(Double.POSITIVE_INFINITY, 4.0);
  }
}
