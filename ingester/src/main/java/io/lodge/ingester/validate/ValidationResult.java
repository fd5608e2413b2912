package io.lodge.ingester.validate;

import io.lodge.ingester.model.PushRequest;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Validator#validate}: the accepted part of the push (streams and entries that passed,
 * in request order, already transformed), every failure message in order (ungrouped), the accepted entry
 * and byte counts (line + structured metadata, {@code detected_level} excluded: what the tenant rate
 * limit charges) and the discards per reason.
 */
public record ValidationResult(
    PushRequest accepted,
    List<String> errors,
    int acceptedLines,
    long acceptedBytes,
    Map<DiscardReason, DiscardCount> discards) {

  public ValidationResult {
    errors = List.copyOf(errors);
    discards = Map.copyOf(discards);
  }

  /** True when at least one stream or entry failed validation (the push answers 400 after storing the rest). */
  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** The 400 body text, grouped as Loki does ({@link ErrorGrouping}). */
  public String errorMessage() {
    return ErrorGrouping.format(errors);
  }

  /** Total number of discarded entries over all reasons. */
  public long discardedLines() {
    long n = 0;
    for (DiscardCount c : discards.values()) n += c.lines();
    return n;
  }

  /** Total discarded bytes over all reasons. */
  public long discardedBytes() {
    long n = 0;
    for (DiscardCount c : discards.values()) n += c.bytes();
    return n;
  }
}
