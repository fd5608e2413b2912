package io.lodge.querier.template;

import io.lodge.querier.template.TemplateNode.Action;
import io.lodge.querier.template.TemplateNode.Field;
import io.lodge.querier.template.TemplateNode.ListNode;
import java.util.List;

/**
 * A parsed Go {@code text/template} in the subset and with the functions LogQL's {@code line_format} and
 * {@code label_format} support (LOKI-COMPAT 3.7). Immutable and thread-safe once parsed; each
 * thread executes with its own recycled buffers.
 *
 * <p>The template name appears in every message: Loki names line templates {@code line} and
 * label templates {@code label} ({@code template: label:1:2: executing "label" at <replace>: …}).
 */
public final class GoTemplate {
  /** Name Loki gives {@code line_format} templates. */
  public static final String LINE = "line";
  /** Name Loki gives {@code label_format} templates. */
  public static final String LABEL = "label";

  private static final ThreadLocal<TemplateExecutor> EXECUTORS = ThreadLocal.withInitial(TemplateExecutor::new);

  private final String name;
  private final String text;
  private final ListNode root;
  private final String simpleKey;

  private GoTemplate(String name, String text, ListNode root) {
    this.name = name;
    this.text = text;
    this.root = root;
    this.simpleKey = simpleKey(root);
  }

  /** Parses a {@code line_format} template; throws {@link TemplateException} with Go's message for invalid templates. */
  public static GoTemplate parse(String text) {
    return parse(LINE, text);
  }

  /** Parses a template named {@code name} ({@link #LINE} or {@link #LABEL}); throws with Go's message. */
  public static GoTemplate parse(String name, String text) {
    return new GoTemplate(name, text, TemplateParser.parse(name, text));
  }

  /** Runs the template against one entry; throws {@link TemplateException} on a runtime error. */
  public String execute(TemplateContext context) {
    if (simpleKey != null) {
      // {{.key}} alone: Loki copies the value directly, and so do we.
      String v = context.labels().get(simpleKey);
      return v == null ? "" : v;
    }
    TemplateExecutor ex = EXECUTORS.get();
    ex.execute(name, text, root, context);
    String result = ex.out.toString();
    if (ex.out.capacity() > 1 << 16) {
      // Do not pin a huge buffer to the thread after one giant line.
      ex.out.setLength(0);
      ex.out.trimToSize();
    }
    return result;
  }

  /** Label names the template reads with {@code .name} (first identifier of each field chain). */
  public List<String> requiredLabelNames() {
    return RequiredLabels.of(root);
  }

  /** The source text. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  private static String simpleKey(ListNode root) {
    if (root.nodes().size() != 1 || !(root.nodes().getFirst() instanceof Action a)) return null;
    if (!a.pipe().decl().isEmpty() || a.pipe().cmds().size() != 1) return null;
    var args = a.pipe().cmds().getFirst().args();
    if (args.size() == 1 && args.getFirst() instanceof Field f && f.idents().size() == 1) {
      return f.idents().getFirst();
    }
    return null;
  }
}
