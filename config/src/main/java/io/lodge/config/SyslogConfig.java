package io.lodge.config;

import java.time.Duration;
import java.util.List;

/**
 * The syslog receiver (block {@code syslog}): RFC 5424 and RFC 3164 over TCP (octet-counted or
 * newline framing, detected per message) and UDP. Off unless {@code enabled}; a port of -1 turns one
 * transport off, 0 picks a free port (tests). Labels are made like promtail's syslog target
 * ({@code __syslog_message_hostname}, ...) and then mapped: each {@code label_mappings} item is
 * {@code target=source} ({@code host=__syslog_message_hostname}), each {@code static_labels} item
 * {@code name=value}; labels still starting with {@code __} are dropped afterwards, as Prometheus
 * relabeling does. {@code timezone} is the zone of RFC 3164 timestamps ({@code Local} = the system's).
 */
public record SyslogConfig(
    boolean enabled,
    String listenAddress,
    int tcpListenPort,
    int udpListenPort,
    long maxMessageLength,
    Duration idleTimeout,
    boolean useIncomingTimestamp,
    String timezone,
    String tenant,
    List<String> labelMappings,
    List<String> staticLabels,
    int batchSize,
    Duration batchWait) {

  /** promtail's usual relabeling: host, app, severity and facility from the message. */
  public static final List<String> DEFAULT_MAPPINGS = List.of(
      "host=__syslog_message_hostname",
      "app=__syslog_message_app_name",
      "severity=__syslog_message_severity",
      "facility=__syslog_message_facility");

  public static SyslogConfig defaults() {
    return new SyslogConfig(false, "0.0.0.0", 1514, 1514, 64 * 1024, Duration.ofSeconds(120), false, "Local",
        "fake", DEFAULT_MAPPINGS, List.of("job=syslog"), 1000, Duration.ofMillis(100));
  }
}
