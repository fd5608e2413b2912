package io.lodge.config;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * One item of Loki's {@code otlp_config} attribute lists ({@code attributes_config}, {@code scope_attributes},
 * {@code log_attributes}): an action for the attributes named in {@code attributes} or whose whole name
 * matches {@code regex} (RE2, anchored like Prometheus relabeling; null when unset). Rules are tried in
 * order and the first that names an attribute decides what happens to it.
 */
public record OtlpAttributesRule(Action action, List<String> attributes, String regex) {

  /** What happens to a matching attribute; the YAML spelling is {@link #yamlName()}. */
  public enum Action {
    /** A stream label (resource and log attributes only). */
    INDEX_LABEL("index_label"),
    /** Structured metadata of every entry it applies to. */
    STRUCTURED_METADATA("structured_metadata"),
    /** Discarded. */
    DROP("drop");

    private final String yamlName;

    Action(String yamlName) {
      this.yamlName = yamlName;
    }

    /** The name used in Loki's YAML. */
    public String yamlName() {
      return yamlName;
    }

    /** The action for a YAML name, or null when there is none. */
    public static Action fromYaml(String name) {
      for (Action a : values()) if (a.yamlName.equals(name)) return a;
      return null;
    }
  }

  public OtlpAttributesRule {
    attributes = List.copyOf(attributes);
    if (regex != null && regex.isEmpty()) regex = null;
  }

  /** The regex compiled the way Loki anchors relabel regexes ({@code ^(?:regex)$}), or null. */
  public Pattern compiledRegex() {
    return regex == null ? null : Pattern.compile("^(?:" + regex + ")$");
  }
}
