package io.lodge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.config.OtlpAttributesRule.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code limits_config.otlp_config} and {@code distributor.otlp_config} read from a Loki YAML file. */
class OtlpConfigYamlTest {
  @TempDir Path dir;

  private LoadedConfig load(String yaml) throws IOException {
    Path file = dir.resolve("loki.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(new String[] {"-config.file=" + file}, name -> null, dir);
  }

  private String at(int line) {
    return "config file " + dir.resolve("loki.yaml") + " line " + line + ": ";
  }

  @Test
  void readsLokiDocumentedShape() throws IOException {
    LoadedConfig loaded = load("""
        distributor:
          ring:
            kvstore:
              store: inmemory
          otlp_config:
            default_resource_attributes_as_index_labels: [service.name, k8s.namespace.name]
        limits_config:
          otlp_config:
            resource_attributes:
              ignore_defaults: true
              attributes_config:
                - action: index_label
                  attributes: [service.group]
                - action: drop
                  regex: k8s\\..*
            scope_attributes:
              - action: drop
                attributes:
                  - method.name
            log_attributes:
              - action: index_label
                attributes: [tenant.id]
              - action: structured_metadata
                regex: http\\.(method|status)
                attributes: [user.id]
            severity_text_as_label: true
        """);
    OtlpConfig otlp = loaded.config().limits().otlpConfig();
    assertThat(otlp.resourceAttributes().ignoreDefaults()).isTrue();
    assertThat(otlp.resourceAttributes().attributesConfig()).containsExactly(
        new OtlpAttributesRule(Action.INDEX_LABEL, List.of("service.group"), null),
        new OtlpAttributesRule(Action.DROP, List.of(), "k8s\\..*"));
    assertThat(otlp.scopeAttributes()).containsExactly(new OtlpAttributesRule(Action.DROP, List.of("method.name"), null));
    assertThat(otlp.logAttributes()).containsExactly(
        new OtlpAttributesRule(Action.INDEX_LABEL, List.of("tenant.id"), null),
        new OtlpAttributesRule(Action.STRUCTURED_METADATA, List.of("user.id"), "http\\.(method|status)"));
    assertThat(otlp.severityTextAsLabel()).isTrue();
    assertThat(loaded.config().distributor().otlpDefaultResourceAttributesAsIndexLabels())
        .containsExactly("service.name", "k8s.namespace.name");
    assertThat(loaded.warnings()).containsExactly(at(2) + "'distributor.ring' is a Loki setting Lodge does not use; ignored");

    // what /config shows loads back to the same config
    String rendered = ConfigRenderer.render(loaded.config());
    assertThat(rendered).contains("severity_text_as_label: true").contains("- action: drop");
    assertThat(ConfigLoader.fromYaml(rendered, "rendered").config()).isEqualTo(loaded.config());
  }

  @Test
  void defaultsAreLokisMapping() throws IOException {
    LodgeConfig c = load("limits_config:\n  otlp_config:\n").config();
    assertThat(c.limits().otlpConfig()).isEqualTo(OtlpConfig.defaults());
    assertThat(c.distributor().otlpDefaultResourceAttributesAsIndexLabels()).hasSize(18).startsWith("service.name");
  }

  @Test
  void rejectsRulesLokiRejectsWithKeyAndLine() {
    String head = "limits_config:\n  otlp_config:\n";
    assertThatThrownBy(() -> load(head + "    scope_attributes:\n      - action: index_label\n        attributes: [a]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(at(4) + "key 'limits_config.otlp_config.scope_attributes': scope attributes cannot be index labels;"
            + " use structured_metadata or drop");
    assertThatThrownBy(() -> load(head + "    log_attributes:\n      - action: label\n        attributes: [a]\n"))
        .hasMessage(at(4) + "key 'limits_config.otlp_config.log_attributes': action 'label' is not one of index_label,"
            + " structured_metadata, drop");
    assertThatThrownBy(() -> load(head + "    log_attributes:\n      - attributes: [a]\n"))
        .hasMessage(at(4) + "key 'limits_config.otlp_config.log_attributes': a rule needs an action"
            + " (index_label, structured_metadata or drop)");
    assertThatThrownBy(() -> load(head + "    log_attributes:\n      - action: drop\n"))
        .hasMessageContaining("line 4: key 'limits_config.otlp_config.log_attributes': a rule needs attributes or a regex");
    assertThatThrownBy(() -> load(head + "    log_attributes:\n      - action: drop\n        regex: 'a(b'\n"))
        .hasMessageStartingWith(at(5) + "key 'limits_config.otlp_config.log_attributes': invalid regex 'a(b'");
    assertThatThrownBy(() -> load(head + "    log_attributes:\n      - action: drop\n        atributes: [a]\n"))
        .hasMessage(at(5) + "key 'limits_config.otlp_config.log_attributes': unknown rule key 'atributes'"
            + " (a rule has action, attributes, regex)");
    assertThatThrownBy(() -> load(head + "    log_attributes: drop\n"))
        .hasMessageContaining("line 3: key 'limits_config.otlp_config.log_attributes': expected a list of rules");
    assertThatThrownBy(() -> load(head + "    resource_attributes:\n      ignore_default: true\n"))
        .hasMessageStartingWith(at(4) + "unknown key 'limits_config.otlp_config.resource_attributes.ignore_default'")
        .hasMessageContaining("did you mean 'ignore_defaults'?");
  }
}
