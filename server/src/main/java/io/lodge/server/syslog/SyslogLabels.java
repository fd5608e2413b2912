package io.lodge.server.syslog;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.server.syslog.SyslogMessage.SdElement;
import io.lodge.server.syslog.SyslogMessage.SdParam;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed message into stream labels and structured metadata the way promtail's syslog target
 * and relabeling do: first the internal labels ({@code __syslog_message_hostname},
 * {@code __syslog_connection_ip_address}, {@code __syslog_message_sd_<id>_<name>}, ...) plus the static
 * labels, then each mapping copies a source label's value to its target (a missing or empty source
 * leaves the target alone), then every label starting with {@code __} and every empty value is
 * dropped. Structured data also becomes metadata named {@code <id>_<name>} (sanitized).
 */
public final class SyslogLabels {
  public static final String CONNECTION_IP = "__syslog_connection_ip_address";
  public static final String CONNECTION_HOSTNAME = "__syslog_connection_hostname";
  public static final String HOSTNAME = "__syslog_message_hostname";
  public static final String APP_NAME = "__syslog_message_app_name";
  public static final String PROC_ID = "__syslog_message_proc_id";
  public static final String MSG_ID = "__syslog_message_msg_id";
  public static final String SEVERITY = "__syslog_message_severity";
  public static final String FACILITY = "__syslog_message_facility";
  public static final String SD_PREFIX = "__syslog_message_sd_";

  // go-syslog's names, which promtail puts in the severity and facility labels
  private static final String[] SEVERITIES =
      {"emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"};
  private static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
      "uucp", "clock daemon", "authpriv", "ftp", "NTP subsystem", "log audit", "log alert", "cron", "local0",
      "local1", "local2", "local3", "local4", "local5", "local6", "local7"};

  /** One relabel step: {@code target <- source}. */
  public record Mapping(String target, String source) {}

  private final List<Mapping> mappings;
  private final List<Label> staticLabels;

  public SyslogLabels(List<Mapping> mappings, List<Label> staticLabels) {
    this.mappings = List.copyOf(mappings);
    this.staticLabels = List.copyOf(staticLabels);
  }

  /** Reads the config form: mappings as {@code target=source}, static labels as {@code name=value}. */
  public static SyslogLabels fromConfig(List<String> mappings, List<String> staticLabels) {
    List<Mapping> m = new ArrayList<>();
    for (String s : mappings) {
      String[] kv = split(s, "syslog.label_mappings");
      m.add(new Mapping(kv[0], kv[1]));
    }
    List<Label> st = new ArrayList<>();
    for (String s : staticLabels) {
      String[] kv = split(s, "syslog.static_labels");
      st.add(new Label(kv[0], kv[1]));
    }
    return new SyslogLabels(m, st);
  }

  private static String[] split(String item, String key) {
    int eq = item.indexOf('=');
    if (eq <= 0) throw new IllegalArgumentException(key + ": expected name=value, got '" + item + "'");
    String name = item.substring(0, eq).trim();
    if (!isLabelName(name)) throw new IllegalArgumentException(key + ": '" + name + "' is not a valid label name");
    return new String[] {name, item.substring(eq + 1).trim()};
  }

  /** The internal labels promtail would attach, before relabeling. */
  public static Map<String, String> internalLabels(SyslogMessage m, String peerIp, String peerHost) {
    Map<String, String> l = new HashMap<>(16);
    if (peerIp != null) l.put(CONNECTION_IP, peerIp);
    if (peerHost != null) l.put(CONNECTION_HOSTNAME, peerHost);
    l.put(SEVERITY, SEVERITIES[m.severity()]);
    l.put(FACILITY, FACILITIES[m.facility()]);
    if (m.hostname() != null) l.put(HOSTNAME, m.hostname());
    if (m.appName() != null) l.put(APP_NAME, m.appName());
    if (m.procId() != null) l.put(PROC_ID, m.procId());
    if (m.msgId() != null) l.put(MSG_ID, m.msgId());
    for (SdElement e : m.structuredData()) {
      for (SdParam p : e.params()) l.put(SD_PREFIX + sanitize(e.id()) + "_" + sanitize(p.name()), p.value());
    }
    return l;
  }

  /** The stream labels of {@code m} after static labels, mappings and dropping {@code __} labels. */
  public LabelSet streamLabels(SyslogMessage m, String peerIp, String peerHost) {
    Map<String, String> l = internalLabels(m, peerIp, peerHost);
    for (Label s : staticLabels) l.put(s.name(), s.value());
    for (Mapping map : mappings) {
      String v = l.get(map.source());
      if (v != null && !v.isEmpty()) l.put(map.target(), v);
    }
    List<Label> out = new ArrayList<>(l.size());
    l.forEach((k, v) -> {
      if (!k.startsWith("__") && !v.isEmpty()) out.add(new Label(k, v));
    });
    return LabelSet.of(out);
  }

  /** Structured data as metadata: {@code <id>_<name>}, sanitized, in message order. */
  public static List<Label> metadata(SyslogMessage m) {
    if (m.structuredData().isEmpty()) return List.of();
    List<Label> out = new ArrayList<>();
    for (SdElement e : m.structuredData()) {
      for (SdParam p : e.params()) out.add(new Label(sanitize(e.id()) + "_" + sanitize(p.name()), p.value()));
    }
    return out;
  }

  /** Replaces every character that is not {@code [a-zA-Z0-9_]} with {@code _}, as promtail does. */
  static String sanitize(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
      if (!ok && sb == null) sb = new StringBuilder(s.substring(0, i));
      if (sb != null) sb.append(ok ? ch : '_');
    }
    return sb == null ? s : sb.toString();
  }

  private static boolean isLabelName(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || (i > 0 && ch >= '0' && ch <= '9');
      if (!ok) return false;
    }
    return true;
  }
}
