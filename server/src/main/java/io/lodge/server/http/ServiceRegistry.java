package io.lodge.server.http;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process's components and their states, set by the application wiring as it starts and stops
 * them (ingester, wal, querier, http, ...). {@code /services} lists them and {@code /ready} can use
 * {@link #notReadyReason()}. Thread-safe.
 */
public final class ServiceRegistry {
  private final Map<String, ServiceState> states = new ConcurrentHashMap<>();

  /** Adds a service in state {@code New}, or resets an existing one to it. */
  public void register(String name) {
    states.put(name, ServiceState.New);
  }

  /** Moves a service to {@code state}; unknown names are registered on the way. */
  public void set(String name, ServiceState state) {
    states.put(name, state);
  }

  /** The state of one service, or null when unknown. */
  public ServiceState state(String name) {
    return states.get(name);
  }

  /** All services by name, sorted. */
  public Map<String, ServiceState> snapshot() {
    return new TreeMap<>(states);
  }

  /**
   * Null when every service is Running, else Loki's explanation: {@code Some services are not
   * Running:} and a count per state.
   */
  public String notReadyReason() {
    Map<ServiceState, Integer> counts = new EnumMap<>(ServiceState.class);
    for (ServiceState s : states.values()) counts.merge(s, 1, Integer::sum);
    if (counts.keySet().stream().allMatch(s -> s == ServiceState.Running)) return null;
    StringBuilder sb = new StringBuilder("Some services are not Running:");
    counts.forEach((s, n) -> sb.append('\n').append(s).append(": ").append(n));
    return sb.toString();
  }
}
