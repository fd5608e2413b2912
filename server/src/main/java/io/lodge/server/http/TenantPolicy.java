package io.lodge.server.http;

/** How a route resolves the tenant before its handler runs (LOKI-COMPAT 1.2). */
public enum TenantPolicy {
  /** Operational endpoints: no tenant; {@link Request#tenant()} is null. */
  NONE,
  /** Push: exactly one tenant ({@code a|b} is a 400). */
  SINGLE,
  /** Queries: one tenant, or several when multi-tenant queries are enabled. */
  MULTI
}
