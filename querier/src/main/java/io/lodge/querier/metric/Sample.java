package io.lodge.querier.metric;

import io.lodge.ingester.model.LabelSet;

/** One element of an instant vector: a series' labels and its value at the current step. */
public record Sample(LabelSet labels, double value) {}
