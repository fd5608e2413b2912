package io.lodge.querier.pipeline.parser;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code | regexp "(?P<name>re)"} (LOKI-COMPAT 3.5): the first (unanchored) match; each named group
 * becomes a label, empty when the group took no part; no match, no labels. Implicit parser.
 */
public final class RegexpParser implements StageProcessor {
  private final Pattern pattern;
  private final String[] names;
  private final int[] groups;

  public RegexpParser(String regex) {
    this.pattern = Pattern.compile(regex);
    Map<String, Integer> named = pattern.namedGroups();
    this.names = new String[named.size()];
    this.groups = new int[named.size()];
    int i = 0;
    for (Map.Entry<String, Integer> e : named.entrySet()) {
      names[i] = e.getKey();
      groups[i++] = e.getValue();
    }
  }

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    Matcher m = pattern.matcher(line);
    if (!m.find()) return line;
    for (int i = 0; i < names.length; i++) {
      int s = m.start(groups[i]);
      String v = s < 0 ? "" : new String(line, s, m.end(groups[i]) - s, StandardCharsets.UTF_8);
      labels.setIfAbsent(labels.parsedKey(names[i]), v);
    }
    return line;
  }
}
