package io.lodge.ingester.validate;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.model.UnixNanos;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code block_ingestion_until} check (LOKI-COMPAT 1.9): until that instant every push that passed
 * validation is refused with {@code block_ingestion_status_code} (default 260) and Loki's message, and its
 * validated entries are counted as {@code blocked_ingestion}. With status 200 the push "succeeds" without
 * storing anything. Runs after validation, before the tenant rate limit. Thread-safe (immutable).
 */
public final class IngestionBlock {
  /** A refusal: the HTTP status to answer and the message (empty body when the status is 200). */
  public record Blocked(int status, String message) {
    /** True when Loki answers success although nothing is stored (status 200). */
    public boolean silentSuccess() {
      return status == 200;
    }
  }

  private final Instant until;
  private final int status;
  private final ValidationMetrics metrics;

  public IngestionBlock(LimitsConfig limits, ValidationMetrics metrics) {
    this.until = limits.blockIngestionUntil();
    this.status = limits.blockIngestionStatusCode();
    this.metrics = metrics;
  }

  /** The refusal for a push of {@code lines}/{@code bytes} validated entries at {@code nowNanos}, if blocked. */
  public Optional<Blocked> check(String tenant, long lines, long bytes, long nowNanos) {
    if (until == null) return Optional.empty();
    long untilNanos = UnixNanos.of(until);
    if (nowNanos >= untilNanos) return Optional.empty();
    metrics.discarded(DiscardReason.BLOCKED_INGESTION, tenant, lines, bytes);
    return Optional.of(new Blocked(status, ValidationMessages.ingestionBlocked(tenant, untilNanos, status)));
  }
}
