package io.lodge.querier.logql.ast;

import io.lodge.ingester.model.GoQuote;
import java.util.List;
import java.util.stream.Collectors;

/** {@code | label_format a=b, c="tmpl"}: renames and templates, applied left to right (§3.7). */
public record LabelFormatStage(List<Item> items) implements Stage {
  /** {@code name=source} (rename, {@code rename} true) or {@code name="template"}. */
  public record Item(String name, String value, boolean rename) {
    @Override
    public String toString() {
      return name + "=" + (rename ? value : GoQuote.quote(value));
    }
  }

  public LabelFormatStage {
    items = List.copyOf(items);
  }

  @Override
  public String toString() {
    return items.stream().map(Item::toString).collect(Collectors.joining(",", "| label_format ", ""));
  }
}
