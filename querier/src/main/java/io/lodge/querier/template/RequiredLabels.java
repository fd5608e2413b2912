package io.lodge.querier.template;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The label names a template reads through {@code .field} chains, in order of appearance and
 * without duplicates (Loki's {@code RequiredLabelNames}, used to skip parsing unused labels).
 */
final class RequiredLabels {
  private RequiredLabels() {}

  static List<String> of(TemplateNode root) {
    Set<String> out = new LinkedHashSet<>();
    collect(root, out);
    return new ArrayList<>(out);
  }

  private static void collect(TemplateNode n, Set<String> out) {
    switch (n) {
      case null -> {}
      case TemplateNode.ListNode l -> l.nodes().forEach(c -> collect(c, out));
      case TemplateNode.Action a -> collect(a.pipe(), out);
      case TemplateNode.Pipe p -> p.cmds().forEach(c -> collect(c, out));
      case TemplateNode.Command c -> c.args().forEach(a -> collect(a, out));
      case TemplateNode.Branch b -> {
        collect(b.pipe(), out);
        collect(b.list(), out);
        collect(b.elseList(), out);
      }
      case TemplateNode.Field f -> out.addAll(f.idents());
      default -> {}
    }
  }
}
