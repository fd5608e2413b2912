package io.lodge.ingester.push;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Label strings to final stream labels (parsed by {@link LabelsParser}, then {@link ServiceNameDiscovery}),
 * with a small direct-mapped cache because agents send the same few label strings in every push.
 *
 * <p>Thread-safe without locks: a slot holds an immutable entry whose fields are final, so a racy read
 * sees either a whole entry or an older one; a collision simply overwrites the slot.
 */
final class StreamLabelsCache {
  private static final int SLOTS = 512; // power of two

  private record BytesEntry(byte[] key, LabelSet labels) {}

  private record StringEntry(String key, LabelSet labels) {}

  private final ServiceNameDiscovery discovery;
  private final BytesEntry[] byBytes = new BytesEntry[SLOTS];
  private final StringEntry[] byString = new StringEntry[SLOTS];

  StreamLabelsCache(ServiceNameDiscovery discovery) {
    this.discovery = discovery;
  }

  /** Labels of a UTF-8 label string (protobuf path); {@code utf8} must not be modified afterwards. */
  LabelSet fromUtf8(byte[] utf8) {
    int h = Arrays.hashCode(utf8);
    int slot = (h ^ h >>> 16) & (SLOTS - 1);
    BytesEntry e = byBytes[slot];
    if (e != null && Arrays.equals(e.key, utf8)) return e.labels;
    // Go decodes invalid UTF-8 to U+FFFD when lexing; the parser then refuses it inside a value.
    LabelSet labels = discovery.apply(LabelsParser.parse(new String(utf8, StandardCharsets.UTF_8)));
    byBytes[slot] = new BytesEntry(utf8, labels);
    return labels;
  }

  /** Labels of a label string (legacy JSON path). */
  LabelSet fromString(String text) {
    int h = text.hashCode();
    int slot = (h ^ h >>> 16) & (SLOTS - 1);
    StringEntry e = byString[slot];
    if (e != null && e.key.equals(text)) return e.labels;
    LabelSet labels = discovery.apply(LabelsParser.parse(text));
    byString[slot] = new StringEntry(text, labels);
    return labels;
  }

  /** Labels of a JSON v1 {@code stream} object (not cached: there is no label string to key on). */
  LabelSet fromPairs(List<Label> pairs) {
    return discovery.apply(LabelsParser.fromPairs(pairs));
  }
}
