package io.lodge.querier.pipeline.format;

import io.lodge.querier.pipeline.ErrorLabels;
import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.StageProcessor;
import io.lodge.querier.template.GoTemplate;
import io.lodge.querier.template.TemplateContext;
import io.lodge.querier.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code | label_format a=b, c="tmpl"} (LOKI-COMPAT 3.7): items left to right. A rename moves the value
 * of {@code b} to the parsed label {@code a} and removes {@code b} (nothing when {@code b} is absent).
 * Templates render against one snapshot of the labels, taken at the stage's first template, so values
 * written by templates of the same stage are invisible to later ones; a runtime error sets
 * {@code TemplateFormatErr} and leaves that label unset.
 */
public final class LabelFormatter implements StageProcessor {
  /** One item: a rename ({@code template} null) or a template. */
  public record Item(String name, String source, GoTemplate template) {}

  private final List<Item> items;

  public LabelFormatter(List<Item> items) {
    this.items = List.copyOf(items);
  }

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    Map<String, String> snapshot = null;
    String lineText = null;
    for (Item item : items) {
      if (item.template() == null) {
        String v = labels.get(item.source());
        if (v == null) continue;
        labels.delete(item.source());
        labels.set(item.name(), v);
        continue;
      }
      if (snapshot == null) {
        snapshot = labels.map();
        lineText = new String(line, StandardCharsets.UTF_8);
      }
      try {
        labels.set(item.name(), item.template().execute(new TemplateContext(snapshot, timestampNanos, lineText)));
      } catch (TemplateException e) {
        labels.setError(ErrorLabels.TEMPLATE);
        labels.setErrorDetails(e.getMessage());
      }
    }
    return line;
  }
}
