package io.lodge.config;

import java.util.List;

/**
 * The part of Loki's {@code distributor} block Lodge uses: the OTLP resource attributes stored as index
 * labels by default ({@code distributor.otlp_config.default_resource_attributes_as_index_labels}).
 */
public record DistributorConfig(List<String> otlpDefaultResourceAttributesAsIndexLabels) {

  /** Loki's default list (LOKI-COMPAT 1.11). */
  public static final List<String> DEFAULT_OTLP_INDEX_LABELS = List.of(
      "service.name", "service.namespace", "service.instance.id", "deployment.environment",
      "deployment.environment.name", "cloud.region", "cloud.availability_zone", "k8s.cluster.name",
      "k8s.namespace.name", "k8s.pod.name", "k8s.container.name", "container.name", "k8s.replicaset.name",
      "k8s.deployment.name", "k8s.statefulset.name", "k8s.daemonset.name", "k8s.cronjob.name", "k8s.job.name");

  public DistributorConfig {
    otlpDefaultResourceAttributesAsIndexLabels = List.copyOf(otlpDefaultResourceAttributesAsIndexLabels);
  }

  public static DistributorConfig defaults() {
    return new DistributorConfig(DEFAULT_OTLP_INDEX_LABELS);
  }
}
