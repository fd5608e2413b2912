package io.lodge.server.http;

/** The life cycle of one service (component) of the process, as Loki's {@code /services} names it. */
public enum ServiceState {
  New,
  Starting,
  Running,
  Stopping,
  Terminated,
  Failed
}
