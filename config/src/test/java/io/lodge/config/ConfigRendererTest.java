package io.lodge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ConfigRendererTest {
  @Test
  void fullRenderUsesLokiLayoutAndStyles() {
    String yaml = ConfigRenderer.render(LodgeConfig.defaults());
    assertThat(yaml).startsWith("auth_enabled: false\nserver:\n  http_listen_address: 0.0.0.0\n  http_listen_port: 3100\n");
    assertThat(yaml).contains("\ncommon:\n  path_prefix: data\n");
    assertThat(yaml).contains("  chunk_target_size: 1572864\n"); // Loki int field: plain bytes
    assertThat(yaml).contains("  max_chunk_age: 2h0m0s\n"); // Go duration
    assertThat(yaml).contains("  reject_old_samples_max_age: 1w\n"); // Prometheus duration
    assertThat(yaml).contains("  max_query_length: 30d1h\n");
    assertThat(yaml).contains("  max_line_size: 256KB\n"); // flagext.ByteSize
    assertThat(yaml).contains("  discover_service_name:\n  - service\n");
    assertThat(yaml).contains("\nquerier:\n  multi_tenant_queries_enabled: false\n");
    assertThat(ConfigLoader.fromYaml(yaml, "rendered").config()).isEqualTo(LodgeConfig.defaults());
  }

  @Test
  void diffsAndDefaultsModes() {
    LodgeConfig changed = ConfigLoader.fromYaml("""
        server:
          http_listen_port: 3200
        limits_config:
          discover_service_name: []
        """, "t").config();
    assertThat(ConfigRenderer.render(changed, ConfigRenderer.Mode.DIFFS))
        .isEqualTo("server:\n  http_listen_port: 3200\nlimits_config:\n  discover_service_name: []\n");
    assertThat(ConfigRenderer.render(LodgeConfig.defaults(), ConfigRenderer.Mode.DIFFS)).isEqualTo("{}\n");
    assertThat(ConfigRenderer.render(changed, ConfigRenderer.Mode.DEFAULTS))
        .isEqualTo(ConfigRenderer.render(LodgeConfig.defaults(), ConfigRenderer.Mode.FULL));
    assertThat(ConfigRenderer.Mode.fromQueryParam("diffs")).isEqualTo(ConfigRenderer.Mode.DIFFS);
    assertThat(ConfigRenderer.Mode.fromQueryParam("defaults")).isEqualTo(ConfigRenderer.Mode.DEFAULTS);
    assertThat(ConfigRenderer.Mode.fromQueryParam(null)).isEqualTo(ConfigRenderer.Mode.FULL);
    assertThat(ConfigRenderer.Mode.fromQueryParam("bogus")).isEqualTo(ConfigRenderer.Mode.FULL);
  }

  @Test
  void valuesStartingWithBlankLinesAndIndentationRoundTrip() {
    // snakeyaml's literal block style cannot carry this value; the renderer must quote it
    LodgeConfig c = ConfigLoader.fromYaml("limits_config:\n  enforced_labels: [\"\\n\\n    a\", \"b\\n c\"]\n", "t.yaml")
        .config();
    assertThat(c.limits().enforcedLabels()).containsExactly("\n\n    a", "b\n c");
    String yaml = ConfigRenderer.render(c);
    assertThat(ConfigLoader.fromYaml(yaml, "rendered.yaml").config()).isEqualTo(c);
  }

  @Property(tries = 100)
  void parseOfRenderIsIdentity(@ForAll long seed) {
    LodgeConfig config = randomConfig(new Random(seed));
    String full = ConfigRenderer.render(config);
    assertThat(ConfigLoader.fromYaml(full, "full").config()).as(full).isEqualTo(config);
    String diffs = ConfigRenderer.render(config, ConfigRenderer.Mode.DIFFS);
    assertThat(ConfigLoader.fromYaml(diffs, "diffs").config()).as(diffs).isEqualTo(config);
  }

  /** A config with every key set to a random valid value of its kind. */
  static LodgeConfig randomConfig(Random r) {
    LodgeConfig c = LodgeConfig.defaults();
    for (ConfigKey key : ConfigSchema.lodge().keys()) {
      if (r.nextInt(5) == 0) continue; // keep some defaults so diffs mode skips keys
      c = key.with(c, randomValue(key, r));
    }
    return c;
  }

  private static Object randomValue(ConfigKey key, Random r) {
    switch (key.path()) {
      case "server.http_listen_port", "server.grpc_listen_port" -> { return r.nextInt(65536); }
      case "ingester.concurrent_flushes" -> { return 1 + r.nextInt(r.nextBoolean() ? 64 : Integer.MAX_VALUE); }
      case "server.log_level" -> { return List.of("debug", "info", "warn", "error").get(r.nextInt(4)); }
      case "server.log_format" -> { return r.nextBoolean() ? "logfmt" : "json"; }
      case "server.http_listen_address", "server.grpc_listen_address" -> {
        return List.of("0.0.0.0", "127.0.0.1", "::", "localhost", "10.1.2.3").get(r.nextInt(5));
      }
      case "common.path_prefix" -> { return r.nextBoolean() ? Path.of("") : randomPath(r); }
      // within what ConfigSchema.validate accepts
      case "ingester.line_dictionaries.size_bytes" -> { return 1024L + r.nextInt((8 << 20) - 1024 + 1); }
      case "ingester.line_dictionaries.sample_bytes" -> { return 8192L + r.nextInt((256 << 20) - 8192 + 1); }
      case "ingester.line_dictionaries.max_dictionaries" -> { return r.nextInt(r.nextBoolean() ? 100 : Integer.MAX_VALUE); }
      case "ingester.line_dictionaries.group_label" -> {
        String s = randomString(r);
        return s.isEmpty() ? "service_name" : s;
      }
      default -> { }
    }
    return switch (key.kind()) {
      case BOOL -> r.nextBoolean();
      case INT -> r.nextBoolean() ? r.nextInt(100_000) : r.nextInt();
      case INT_BYTES, SIZE -> switch (r.nextInt(3)) {
        case 0 -> (long) r.nextInt(1 << 20);
        case 1 -> ((long) r.nextInt(1 << 20)) << (10 * (1 + r.nextInt(4)));
        default -> r.nextLong() & Long.MAX_VALUE;
      };
      case FLOAT -> r.nextBoolean() ? r.nextInt(1000) / 4.0 : r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
      case DURATION_GO, DURATION_PROM -> {
        long nanos = r.nextLong() & Long.MAX_VALUE;
        yield Duration.ofNanos(switch (r.nextInt(3)) {
          case 0 -> nanos % (400L * 24 * 3600 * 1_000_000_000L);
          case 1 -> (nanos % 100_000_000L) * 1_000_000L; // whole milliseconds
          default -> (nanos % 100_000L) * 60_000_000_000L; // whole minutes
        });
      }
      case STRING -> randomString(r);
      case PATH -> r.nextInt(4) == 0 ? null : randomPath(r);
      case STRING_LIST -> {
        List<String> items = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) items.add(randomString(r));
        yield List.copyOf(items);
      }
      case TIME -> r.nextInt(4) == 0 ? null
          : Instant.ofEpochSecond(Math.floorMod(r.nextLong(), 7_000_000_000L), r.nextInt(1_000_000_000));
      case ATTRIBUTE_RULES -> randomRules(r, !key.path().endsWith(".scope_attributes"));
    };
  }

  private static final String[] REGEXES = {"k8s\\..*", "service\\.(name|namespace)", "a|b", "[x-z]+", "."};

  private static List<OtlpAttributesRule> randomRules(Random r, boolean indexLabelAllowed) {
    List<OtlpAttributesRule> rules = new ArrayList<>();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      OtlpAttributesRule.Action[] actions = OtlpAttributesRule.Action.values();
      OtlpAttributesRule.Action action = actions[r.nextInt(actions.length)];
      if (!indexLabelAllowed && action == OtlpAttributesRule.Action.INDEX_LABEL) action = OtlpAttributesRule.Action.DROP;
      List<String> attributes = new ArrayList<>();
      int k = r.nextInt(3);
      for (int j = 0; j < k; j++) attributes.add(randomString(r));
      String regex = k == 0 || r.nextBoolean() ? REGEXES[r.nextInt(REGEXES.length)] : null;
      rules.add(new OtlpAttributesRule(action, attributes, regex));
    }
    return List.copyOf(rules);
  }

  private static final String[] PIECES = {"a", "Z", "0", "1.5", " ", ":", "#", "-", "'", "\"", "{", "}", "[",
      "true", "null", "~", "${X}", "é", "日本", "\\", ",", "\t", "\n", "*", "&", "!", "%", "@", "`", "?", "|", ">"};

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) sb.append(PIECES[r.nextInt(PIECES.length)]);
    return sb.toString();
  }

  private static Path randomPath(Random r) {
    StringBuilder sb = new StringBuilder(r.nextBoolean() ? "/" : "");
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append('/');
      sb.append("dir").append(r.nextInt(100)).append(r.nextBoolean() ? " x" : "");
    }
    return Path.of(sb.toString());
  }
}
