package io.lodge.querier.patterns;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One mined pattern in Loki's {@code |>} syntax ({@code <_>} for variable parts) with how many lines it
 * covered per step bucket ({@code samples}: bucket start in Unix seconds -> count) and in total.
 */
public record MinedPattern(String pattern, long total, SortedMap<Long, Long> samples) {
  public MinedPattern {
    samples = Collections.unmodifiableSortedMap(new TreeMap<>(samples));
  }
}
