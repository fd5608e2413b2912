package io.lodge.querier.pipeline.format;

import io.lodge.querier.pipeline.ErrorLabels;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import io.lodge.querier.template.GoTemplate;
import io.lodge.querier.template.TemplateContext;
import io.lodge.querier.template.TemplateException;
import java.nio.charset.StandardCharsets;

/**
 * {@code | line_format "tmpl"} (LOKI-COMPAT 3.7): the template runs over all current labels and its
 * output replaces the line; a runtime error leaves the line and sets {@code TemplateFormatErr}.
 */
public final class LineFormatter implements StageProcessor {
  private final GoTemplate template;

  public LineFormatter(GoTemplate template) {
    this.template = template;
  }

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    String out;
    try {
      out = template.execute(new TemplateContext(labels.map(), timestampNanos, new String(line, StandardCharsets.UTF_8)));
    } catch (TemplateException e) {
      labels.setError(ErrorLabels.TEMPLATE);
      labels.setErrorDetails(e.getMessage());
      return line;
    }
    return out.getBytes(StandardCharsets.UTF_8);
  }
}
