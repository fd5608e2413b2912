package io.lodge.server.syslog;

import java.util.List;

/**
 * One parsed syslog message, RFC 5424 or RFC 3164. Absent header fields ({@code -} in RFC 5424, or
 * not sent) are null; {@code timestampNanos} is {@link #NO_TIMESTAMP} when the message carries none.
 */
public record SyslogMessage(
    Format format,
    int facility,
    int severity,
    long timestampNanos,
    String hostname,
    String appName,
    String procId,
    String msgId,
    List<SdElement> structuredData,
    String message) {

  /** Marks a message without a timestamp. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  /** The two wire formats. */
  public enum Format { RFC5424, RFC3164 }

  /** One structured data element: {@code [id name="value" ...]}, parameters in message order. */
  public record SdElement(String id, List<SdParam> params) {
    public SdElement {
      params = List.copyOf(params);
    }
  }

  /** One structured data parameter, its value unescaped. */
  public record SdParam(String name, String value) {}

  public SyslogMessage {
    structuredData = List.copyOf(structuredData);
  }

  public boolean hasTimestamp() {
    return timestampNanos != NO_TIMESTAMP;
  }
}
