package io.lodge.querier.template;

/** A template that cannot be parsed or executed; the message follows Go's text/template. */
public final class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message, null, false, false);
  }
}
