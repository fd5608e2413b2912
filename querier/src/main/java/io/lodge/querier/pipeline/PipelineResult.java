package io.lodge.querier.pipeline;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.List;

/**
 * One entry after the pipeline: its line and its labels by category (LOKI-COMPAT 3.10): stream labels
 * still present, structured metadata, and labels the pipeline added (parsers, label_format,
 * {@code __error__}). A name appears in one category only, the highest that has it.
 */
public record PipelineResult(byte[] line, LabelSet stream, List<Label> structuredMetadata, List<Label> parsed) {
  /** All labels merged (parsed over metadata over stream): the result stream of a log query without flags. */
  public LabelSet allLabels() {
    if (structuredMetadata.isEmpty() && parsed.isEmpty()) return stream;
    LabelSet out = stream;
    for (Label l : structuredMetadata) out = out.with(l.name(), l.value());
    for (Label l : parsed) out = out.with(l.name(), l.value());
    return out;
  }
}
