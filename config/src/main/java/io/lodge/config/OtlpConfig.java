package io.lodge.config;

import java.util.List;

/**
 * Loki's {@code limits_config.otlp_config}: how OTLP resource, scope and log-record attributes are stored
 * (stream label, structured metadata, or dropped). Unless {@code ignore_defaults} is set, the resource
 * attributes in {@code distributor.otlp_config.default_resource_attributes_as_index_labels} are index
 * labels ahead of every rule here, as in Loki; attributes no rule names are structured metadata.
 * {@code severity_text_as_label} makes a record's severity text the stream label {@code severity_text}.
 */
public record OtlpConfig(
    ResourceAttributes resourceAttributes,
    List<OtlpAttributesRule> scopeAttributes,
    List<OtlpAttributesRule> logAttributes,
    boolean severityTextAsLabel) {

  /** The {@code resource_attributes} block. */
  public record ResourceAttributes(boolean ignoreDefaults, List<OtlpAttributesRule> attributesConfig) {
    public ResourceAttributes {
      attributesConfig = List.copyOf(attributesConfig);
    }
  }

  public OtlpConfig {
    scopeAttributes = List.copyOf(scopeAttributes);
    logAttributes = List.copyOf(logAttributes);
  }

  /** No rules: Loki's default mapping. */
  public static OtlpConfig defaults() {
    return new OtlpConfig(new ResourceAttributes(false, List.of()), List.of(), List.of(), false);
  }
}
