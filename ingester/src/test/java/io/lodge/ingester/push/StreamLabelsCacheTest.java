package io.lodge.ingester.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamLabelsCacheTest {
  private final ServiceNameDiscovery discovery = new ServiceNameDiscovery(LimitsConfig.DEFAULT_SERVICE_NAME_LABELS);
  private final StreamLabelsCache cache = new StreamLabelsCache(discovery);

  private LabelSet oracle(String text) {
    return discovery.apply(LabelsParser.parse(text));
  }

  @Test
  void cachedResultsEqualFreshParsesAcrossCollisionsAndThreads() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 3000; i++) texts.add("{app=\"a" + (i % 1500) + "\", pod=\"p" + i % 7 + "\"}");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int shift = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < texts.size(); i++) {
            String text = texts.get((i * 7 + shift * 31) % texts.size());
            assertThat(cache.fromUtf8(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(oracle(text));
            assertThat(cache.fromString(text)).isEqualTo(oracle(text));
          }
        }));
      }
      for (Future<?> f : futures) f.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The point of the cache at a thousand streams: a stream's next push gets the very {@link LabelSet} its
   * first one did, so the head finds the stream by identity. 1,000 streams pushed in turn, as the load
   * generator does: two streams sharing a slot both miss every time (with 512 slots 884 of 1,000 did).
   */
  @Test
  void aThousandStreamsMostlyGetTheirOwnInstanceBack() {
    List<byte[]> texts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) { // the load generator's label strings
      texts.add(String.format(java.util.Locale.ROOT, "{app=\"sys%d\", instance=\"s%05d\", job=\"lodge-bench\"}", i % 16, i)
          .getBytes(StandardCharsets.UTF_8));
    }
    List<LabelSet> first = new ArrayList<>();
    for (byte[] t : texts) first.add(cache.fromUtf8(t.clone()));
    int same = 0;
    for (int i = 0; i < texts.size(); i++) if (cache.fromUtf8(texts.get(i).clone()) == first.get(i)) same++;
    assertThat(same).isGreaterThanOrEqualTo(900);
  }

  @Test
  void errorsAreNotCached() {
    byte[] bad = "{a=}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> cache.fromUtf8(bad)).isInstanceOf(LabelsParseException.class);
    assertThatThrownBy(() -> cache.fromUtf8(bad)).isInstanceOf(LabelsParseException.class);
  }

  @Test
  void invalidUtf8InALabelStringIsRefusedLikeGo() {
    byte[] bad = {'{', 'a', '=', '"', (byte) 0xff, '"', '}'};
    assertThatThrownBy(() -> cache.fromUtf8(bad)).hasMessage("couldn't parse labels: 1:4: parse error: invalid UTF-8 rune");
  }

  @Test
  void emptyLabelStringGetsUnknownService() {
    assertThat(cache.fromUtf8(new byte[0]).canonical()).isEqualTo("{service_name=\"unknown_service\"}");
  }
}
