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
  /**
   * Slots, a power of two well above the streams one ingester usually sees. Agents push their streams in
   * turn, so two streams sharing a slot miss on every push, both of them: with 512 slots only 141 of the
   * load generator's 1,000 streams had a slot of their own, the rest parsed their labels again on every
   * push and, holding a new {@link LabelSet}, were compared label by label at every later lookup instead
   * of by identity (7% of the push workers' time at a million lines a second). With 16,384 slots and
   * {@link #slot}'s mixing, 940 do. Two tables of 16,384 references (128 KiB), and in each slot at most
   * one label string with its labels.
   */
  private static final int SLOT_BITS = 14;
  private static final int SLOTS = 1 << SLOT_BITS;

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
    int slot = slot(Arrays.hashCode(utf8));
    BytesEntry e = byBytes[slot];
    if (e != null && Arrays.equals(e.key, utf8)) return e.labels;
    // Go decodes invalid UTF-8 to U+FFFD when lexing; the parser then refuses it inside a value.
    LabelSet labels = discovery.apply(LabelsParser.parse(new String(utf8, StandardCharsets.UTF_8)));
    byBytes[slot] = new BytesEntry(utf8, labels);
    return labels;
  }

  /** Labels of a label string (legacy JSON path). */
  LabelSet fromString(String text) {
    int slot = slot(text.hashCode());
    StringEntry e = byString[slot];
    if (e != null && e.key.equals(text)) return e.labels;
    LabelSet labels = discovery.apply(LabelsParser.parse(text));
    byString[slot] = new StringEntry(text, labels);
    return labels;
  }

  /**
   * The slot of a hash: its top bits after a multiply by 2^32 / golden ratio (Fibonacci hashing). Label
   * strings that differ in a counter have hashes that differ in a few low bits; the multiply spreads
   * them (the low bits alone put 85 of the test's 1,000 such streams in a shared slot, this 12).
   */
  private static int slot(int hash) {
    return (hash * 0x9E3779B9) >>> (32 - SLOT_BITS);
  }

  /** Labels of a JSON v1 {@code stream} object (not cached: there is no label string to key on). */
  LabelSet fromPairs(List<Label> pairs) {
    return discovery.apply(LabelsParser.fromPairs(pairs));
  }
}
