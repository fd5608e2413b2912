package io.lodge.ingester.push;

/** Which push path a body came in on: it decides the JSON shape (LOKI-COMPAT 1.4). */
public enum PushApi {
  /** {@code /loki/api/v1/push}: the v1 JSON shape. */
  V1,
  /** {@code /api/prom/push}: the legacy protobuf-JSON shape. */
  LEGACY
}
