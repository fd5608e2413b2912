package io.lodge.server.otlp;

import com.google.re2j.Pattern;
import io.lodge.config.DistributorConfig;
import io.lodge.config.OtlpAttributesRule;
import io.lodge.config.OtlpAttributesRule.Action;
import io.lodge.config.OtlpConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loki's {@code otlp_config} compiled: the action ({@code index_label}, {@code structured_metadata},
 * {@code drop}) for each resource, scope and log-record attribute name. The first rule naming an attribute
 * decides; the default index-label list (unless {@code ignore_defaults}) is the first resource rule, as
 * Loki prepends it, so a later rule cannot demote one of those attributes; unnamed attributes are
 * structured metadata.
 */
final class OtlpAttributePolicy {
  /** Attribute names are client-chosen: the per-kind memo of decisions stops growing at this size. */
  private static final int MAX_MEMO = 4096;

  private record Rule(Action action, List<String> attributes, Pattern regex) {
    boolean names(String attribute) {
      return attributes.contains(attribute) || (regex != null && regex.matches(attribute));
    }
  }

  /** One attribute kind's rules with a memo of their decisions. */
  private static final class Rules {
    private final List<Rule> rules;
    private final Map<String, Action> memo = new ConcurrentHashMap<>();

    Rules(List<Rule> rules) {
      this.rules = List.copyOf(rules);
    }

    Action actionFor(String attribute) {
      if (rules.isEmpty()) return Action.STRUCTURED_METADATA;
      Action known = memo.get(attribute);
      if (known != null) return known;
      Action action = Action.STRUCTURED_METADATA;
      for (Rule r : rules) {
        if (r.names(attribute)) {
          action = r.action();
          break;
        }
      }
      if (memo.size() < MAX_MEMO) memo.put(attribute, action);
      return action;
    }
  }

  private final Rules resource;
  private final Rules scope;
  private final Rules log;
  private final boolean severityTextAsLabel;

  private OtlpAttributePolicy(Rules resource, Rules scope, Rules log, boolean severityTextAsLabel) {
    this.resource = resource;
    this.scope = scope;
    this.log = log;
    this.severityTextAsLabel = severityTextAsLabel;
  }

  /** The policy of {@code limits_config.otlp_config} over {@code distributor.otlp_config}'s default list. */
  static OtlpAttributePolicy of(OtlpConfig config, List<String> defaultIndexLabels) {
    List<Rule> resource = new ArrayList<>();
    if (!config.resourceAttributes().ignoreDefaults() && !defaultIndexLabels.isEmpty()) {
      resource.add(new Rule(Action.INDEX_LABEL, List.copyOf(defaultIndexLabels), null));
    }
    resource.addAll(compile(config.resourceAttributes().attributesConfig()));
    return new OtlpAttributePolicy(new Rules(resource), new Rules(compile(config.scopeAttributes())),
        new Rules(compile(config.logAttributes())), config.severityTextAsLabel());
  }

  /** Loki's default mapping. */
  static OtlpAttributePolicy defaults() {
    return of(OtlpConfig.defaults(), DistributorConfig.DEFAULT_OTLP_INDEX_LABELS);
  }

  private static List<Rule> compile(List<OtlpAttributesRule> rules) {
    List<Rule> out = new ArrayList<>(rules.size());
    for (OtlpAttributesRule r : rules) out.add(new Rule(r.action(), r.attributes(), r.compiledRegex()));
    return out;
  }

  Action resourceAction(String attribute) {
    return resource.actionFor(attribute);
  }

  /** Scope attributes are never index labels (the config refuses that rule). */
  Action scopeAction(String attribute) {
    return scope.actionFor(attribute);
  }

  Action logAction(String attribute) {
    return log.actionFor(attribute);
  }

  /** Whether a record's severity text becomes the stream label {@code severity_text}. */
  boolean severityTextAsLabel() {
    return severityTextAsLabel;
  }
}
