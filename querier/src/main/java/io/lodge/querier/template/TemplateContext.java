package io.lodge.querier.template;

import java.util.Map;

/** What a template sees of one entry: its labels (all categories merged), timestamp and line. */
public record TemplateContext(Map<String, String> labels, long timestampNanos, String line) {}
