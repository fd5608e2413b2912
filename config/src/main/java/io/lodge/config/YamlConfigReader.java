package io.lodge.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads a Loki-style YAML file over a base config. Works on snakeyaml-engine's node tree (not on
 * plain maps) so every error and warning names the line of the key. Each key is one of: a Lodge key
 * ({@link ConfigSchema}; its value is type-checked and applied), a block holding Lodge keys (descended
 * into), a Loki key Lodge does not use ({@link LokiKeys}; skipped with a warning), or unknown (an error,
 * as Loki fails on unknown keys too).
 */
final class YamlConfigReader {
  /** The config after the file, and one warning per Loki key Lodge ignored. */
  record Result(LodgeConfig config, List<String> warnings) {}

  private final ConfigSchema schema = ConfigSchema.lodge();
  private final String source;
  private final List<String> warnings = new ArrayList<>();
  private LodgeConfig config;

  private YamlConfigReader(String source, LodgeConfig base) {
    this.source = source;
    this.config = base;
  }

  /**
   * Applies the YAML {@code text} (already env-expanded) to {@code base}.
   *
   * @param source the file name, for messages
   * @throws ConfigException on malformed YAML, an unknown key, a value of the wrong type or out of range
   */
  static Result read(String text, String source, LodgeConfig base) {
    YamlConfigReader reader = new YamlConfigReader(source, base);
    Optional<Node> root;
    try {
      root = new Compose(LoadSettings.builder().setLabel(source).build()).composeString(text);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException("config file " + source + (line > 0 ? " line " + line : "") + ": invalid YAML: "
          + firstLine(e.getProblem() != null ? e.getProblem() : e.getMessage()), e);
    } catch (YamlEngineException e) {
      throw new ConfigException("config file " + source + ": invalid YAML: " + firstLine(e.getMessage()), e);
    }
    if (root.isPresent() && !isNull(root.get())) {
      if (!(root.get() instanceof MappingNode mapping)) {
        throw reader.error(root.get(), "the top level must be a mapping of keys, got " + shape(root.get()));
      }
      reader.block(mapping, "");
    }
    return new Result(reader.config, reader.warnings);
  }

  private void block(MappingNode mapping, String path) {
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode keyScalar)) throw error(keyNode, "a key must be a plain string");
      String key = keyScalar.getValue();
      String full = path.isEmpty() ? key : path + "." + key;
      if (!seen.add(key)) throw error(keyNode, "key '" + full + "' is set twice");
      Node value = tuple.getValueNode();
      ConfigKey lodgeKey = schema.key(full);
      if (lodgeKey != null) {
        apply(lodgeKey, keyNode, value);
      } else if (full.equals("target")) {
        if (!isNull(value)) checkTarget(keyNode, value);
      } else if (schema.isBlock(full)) {
        if (isNull(value)) continue;
        if (!(value instanceof MappingNode nested)) {
          throw error(keyNode, "key '" + full + "': expected a mapping of keys, got " + shape(value));
        }
        block(nested, full);
      } else if (LokiKeys.isLokiKey(path, key)) {
        warnings.add(at(keyNode) + ": '" + full + "' is a Loki setting Lodge does not use; ignored");
      } else {
        throw error(keyNode, "unknown key '" + full + "'" + suggestion(path, key));
      }
    }
  }

  private void apply(ConfigKey key, Node keyNode, Node value) {
    if (isNull(value)) return; // "key:" with no value keeps the default, as Go's yaml decoder does
    Object parsed;
    if (key.kind() == ValueKind.ATTRIBUTE_RULES) {
      parsed = attributeRules(key, keyNode, value);
    } else if (key.kind() == ValueKind.STRING_LIST) {
      parsed = stringList(keyNode, value, "key '" + key.path() + "': expected a list of strings");
    } else {
      if (!(value instanceof ScalarNode scalar)) {
        throw error(keyNode, "key '" + key.path() + "': expected " + key.kind().expected() + ", got " + shape(value));
      }
      try {
        parsed = key.kind().parse(scalar.getValue());
      } catch (IllegalArgumentException e) {
        throw error(value, "key '" + key.path() + "': " + e.getMessage());
      }
    }
    parsed = ConfigSchema.normalize(key, parsed);
    String invalid = ConfigSchema.validate(key, parsed);
    if (invalid != null) throw error(value, "key '" + key.path() + "': " + invalid);
    config = key.with(config, parsed);
  }

  /** A YAML list of strings; errors start with {@code expectation} and name the offending node's line. */
  private List<String> stringList(Node keyNode, Node value, String expectation) {
    if (!(value instanceof SequenceNode seq)) throw error(keyNode, expectation + ", got " + shape(value));
    List<String> items = new ArrayList<>();
    for (Node item : seq.getValue()) {
      if (!(item instanceof ScalarNode s) || isNull(item)) {
        throw error(item, expectation + ", got an item that is " + shape(item));
      }
      items.add(s.getValue());
    }
    return List.copyOf(items);
  }

  /**
   * An {@code otlp_config} rule list: mappings of {@code action} (required) and {@code attributes} and/or
   * {@code regex} (at least one), as Loki reads them; {@code index_label} is refused for scope attributes,
   * which Loki only stores as structured metadata or drops.
   */
  private List<OtlpAttributesRule> attributeRules(ConfigKey key, Node keyNode, Node value) {
    String where = "key '" + key.path() + "'";
    if (!(value instanceof SequenceNode seq)) {
      throw error(keyNode, where + ": expected " + key.kind().expected() + ", got " + shape(value));
    }
    List<OtlpAttributesRule> rules = new ArrayList<>();
    for (Node item : seq.getValue()) {
      if (!(item instanceof MappingNode rule)) {
        throw error(item, where + ": each rule must be a mapping with action and attributes or regex, got " + shape(item));
      }
      OtlpAttributesRule.Action action = null;
      List<String> attributes = List.of();
      String regex = null;
      for (NodeTuple t : rule.getValue()) {
        String name = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : shape(t.getKeyNode());
        Node v = t.getValueNode();
        switch (name) {
          case "action" -> {
            String text = v instanceof ScalarNode s && !isNull(v) ? s.getValue() : shape(v);
            action = OtlpAttributesRule.Action.fromYaml(text);
            if (action == null) {
              throw error(v, where + ": action '" + text + "' is not one of index_label, structured_metadata, drop");
            }
            if (action == OtlpAttributesRule.Action.INDEX_LABEL && key.path().endsWith(".scope_attributes")) {
              throw error(v, where + ": scope attributes cannot be index labels; use structured_metadata or drop");
            }
          }
          case "attributes" -> {
            if (!isNull(v)) attributes = stringList(v, v, where + ": attributes must be a list of strings");
          }
          case "regex" -> {
            if (isNull(v)) continue;
            if (!(v instanceof ScalarNode s)) throw error(v, where + ": regex must be a string, got " + shape(v));
            regex = s.getValue();
            try {
              com.google.re2j.Pattern.compile(regex);
            } catch (com.google.re2j.PatternSyntaxException e) {
              throw error(v, where + ": invalid regex '" + regex + "': " + e.getDescription());
            }
          }
          default -> throw error(t.getKeyNode(), where + ": unknown rule key '" + name + "' (a rule has action, attributes, regex)");
        }
      }
      if (action == null) throw error(item, where + ": a rule needs an action (index_label, structured_metadata or drop)");
      if (attributes.isEmpty() && (regex == null || regex.isEmpty())) {
        throw error(item, where + ": a rule needs attributes or a regex to say which attributes it applies to");
      }
      rules.add(new OtlpAttributesRule(action, attributes, regex));
    }
    return List.copyOf(rules);
  }

  private void checkTarget(Node keyNode, Node value) {
    String target = value instanceof ScalarNode s ? s.getValue().trim() : shape(value);
    if (!target.equals("all")) throw error(keyNode, "target '" + target + "': " + Flags.TARGET_MESSAGE);
  }

  private String suggestion(String block, String key) {
    Set<String> candidates = new HashSet<>(schema.children(block));
    if (block.isEmpty()) {
      candidates.addAll(LokiKeys.IGNORED_TOP_LEVEL);
      candidates.addAll(LokiKeys.BLOCK_KEYS.keySet());
    } else {
      candidates.addAll(LokiKeys.BLOCK_KEYS.getOrDefault(block, Set.of()));
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = editDistance(key, c);
      if (d < bestDistance || (d == bestDistance && best != null && c.compareTo(best) < 0)) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 4) ? " (did you mean '" + best + "'?)" : "";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private ConfigException error(Node node, String message) {
    return new ConfigException(at(node) + ": " + message);
  }

  private String at(Node node) {
    Optional<Mark> mark = node.getStartMark();
    return "config file " + source + mark.map(m -> " line " + (m.getLine() + 1)).orElse("");
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  private static String shape(Node node) {
    if (node instanceof MappingNode) return "a mapping";
    if (node instanceof SequenceNode) return "a list";
    if (isNull(node)) return "null";
    return "'" + ((ScalarNode) node).getValue() + "'";
  }

  private static String firstLine(String s) {
    if (s == null) return "unknown error";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
