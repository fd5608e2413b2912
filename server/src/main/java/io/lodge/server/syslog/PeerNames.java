package io.lodge.server.syslog;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Reverse-DNS names of syslog peers for {@code __syslog_connection_hostname}, resolved off the event
 * loop: the first message from an address gets the address text, later ones the resolved name. The
 * cache is bounded (cleared when full) because UDP peers are unbounded.
 */
final class PeerNames {
  private static final int MAX_ENTRIES = 4096;

  private final ConcurrentHashMap<InetAddress, String> names = new ConcurrentHashMap<>();
  private final Executor resolver;

  PeerNames(Executor resolver) {
    this.resolver = resolver;
  }

  /** The name of {@code address} if known, else its text (and resolution starts in the background). */
  String nameOf(InetAddress address) {
    String name = names.get(address);
    if (name != null) return name;
    String text = address.getHostAddress();
    if (names.size() >= MAX_ENTRIES) names.clear();
    if (names.putIfAbsent(address, text) == null) {
      resolver.execute(() -> names.put(address, address.getCanonicalHostName()));
    }
    return text;
  }
}
