package io.lodge.querier.template;

/**
 * A parsed Go {@code text/template} in the subset and with the functions LogQL's {@code line_format} and
 * {@code label_format} support (LOKI-COMPAT 3.7). Immutable and thread-safe once parsed.
 */
public final class GoTemplate {
  private final String text;

  private GoTemplate(String text) {
    this.text = text;
  }

  /** Parses a template; throws {@link TemplateException} with Go's message for invalid templates. */
  public static GoTemplate parse(String text) {
    throw new TemplateException("templates are not supported yet: " + text);
  }

  /** Runs the template against one entry; throws {@link TemplateException} on a runtime error. */
  public String execute(TemplateContext context) {
    throw new TemplateException("templates are not supported yet: " + text + context);
  }
}
