/**
 * LogQL log pipelines (LOKI-COMPAT 3.4 to 3.10): {@link io.lodge.querier.pipeline.Pipelines#compile}
 * turns the stages of a parsed query into a {@link io.lodge.querier.pipeline.Pipeline}; each stream
 * gets a {@link io.lodge.querier.pipeline.StreamPipeline} whose {@link
 * io.lodge.querier.pipeline.LabelsBuilder} holds an entry's labels in Loki's three categories while
 * the {@link io.lodge.querier.pipeline.StageProcessor}s run. Sub-packages hold the stage families:
 * {@code filter} (line filters), {@code parser} (json, logfmt, regexp, pattern, unpack), {@code label}
 * (label filters), {@code format} (line_format, label_format, drop, keep, decolorize).
 * {@link io.lodge.querier.pipeline.PipelineIterator} runs a pipeline over a reader's entries.
 */
package io.lodge.querier.pipeline;
