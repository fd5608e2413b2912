package io.lodge.ingester;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.head.ApplyResult;
import io.lodge.ingester.head.Head;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.validate.DiscardReason;
import io.lodge.ingester.validate.ErrorGrouping;
import io.lodge.ingester.validate.IngestionBlock;
import io.lodge.ingester.validate.StreamLimitMessages;
import io.lodge.ingester.validate.StreamRateLimiter;
import io.lodge.ingester.validate.TenantRateLimiter;
import io.lodge.ingester.validate.ValidationMetrics;
import io.lodge.ingester.validate.ValidationResult;
import io.lodge.ingester.validate.Validator;
import io.lodge.ingester.wal.PushRecordCodec;
import io.lodge.ingester.wal.WalWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The ingest pipeline behind every receiver, in Loki's order (LOKI-COMPAT 1.7 to 1.10): validate and
 * transform, blocked-ingestion check, tenant rate limit, per-stream rate and stream-count limits, then
 * one WAL record; the head applies it on the WAL thread once durable, which decides the out-of-order
 * window and duplicates. The outcome groups every failure message as Loki does.
 */
public final class Distributor implements PushService {
  private static final int MAX_RETURNED_STREAM_ERRORS = 10;

  private final LimitsConfig limits;
  private final Validator validator;
  private final ValidationMetrics metrics;
  private final TenantRateLimiter tenantRate;
  private final StreamRateLimiter streamRate;
  private final IngestionBlock block;
  private final Head head;
  private final WalWriter wal;
  private final IngesterState state;
  private final LongSupplier clock;

  Distributor(LimitsConfig limits, ValidationMetrics metrics, Head head, WalWriter wal, IngesterState state,
      LongSupplier clockNanos) {
    this.limits = limits;
    this.metrics = metrics;
    this.validator = new Validator(limits, metrics);
    this.tenantRate = new TenantRateLimiter(limits);
    this.streamRate = new StreamRateLimiter(limits);
    this.block = new IngestionBlock(limits);
    this.head = head;
    this.wal = wal;
    this.state = state;
    this.clock = clockNanos;
  }

  @Override
  public CompletableFuture<PushOutcome> push(String tenant, PushRequest request) {
    if (!state.isReady()) {
      return CompletableFuture.completedFuture(new PushOutcome(503, "Ingester not ready: " + state.reason()));
    }
    long now = clock.getAsLong();
    if (request.streams().isEmpty()) {
      return CompletableFuture.completedFuture(
          new PushOutcome(422, "error at least one valid stream is required for ingestion"));
    }
    ValidationResult v = validator.validate(tenant, request, now);
    List<String> errors = new ArrayList<>(v.errors());
    PushRequest accepted = v.accepted();

    Optional<PushOutcome> blocked = block.check(tenant, now).map(b -> new PushOutcome(b.status(), b.message()));
    if (blocked.isPresent()) {
      metrics.discarded(DiscardReason.BLOCKED_INGESTION, tenant, accepted.entryCount(), bytes(accepted));
      return CompletableFuture.completedFuture(blocked.get());
    }
    if (accepted.streams().isEmpty()) return CompletableFuture.completedFuture(outcome(errors, false));

    Optional<String> rateLimited = tenantRate.tryAcquire(tenant, accepted.entryCount(), bytes(accepted), now);
    if (rateLimited.isPresent()) {
      metrics.discarded(DiscardReason.RATE_LIMITED, tenant, accepted.entryCount(), bytes(accepted));
      return CompletableFuture.completedFuture(new PushOutcome(429, rateLimited.get()));
    }

    boolean[] anyRateLimit = new boolean[1];
    List<PushStream> admitted = new ArrayList<>(accepted.streams().size());
    int newStreams = 0;
    for (PushStream s : accepted.streams()) {
      long sBytes = bytes(s.entries());
      Optional<String> streamLimited = streamRate.tryAcquire(tenant, s.labels(), sBytes, now);
      if (streamLimited.isPresent()) {
        anyRateLimit[0] = true;
        metrics.discarded(DiscardReason.PER_STREAM_RATE_LIMIT, tenant, s.entries().size(), sBytes);
        errors.add(StreamLimitMessages.ingesterStreamReport(tenant, s.labels(), firstTimestamps(s.entries()),
            streamLimited.get(), s.entries().size(), s.entries().size()));
        continue;
      }
      if (!head.hasStream(tenant, s.labels())) {
        int limit = limits.maxGlobalStreamsPerUser();
        if (limit > 0 && head.streamCount(tenant) + newStreams >= limit) {
          anyRateLimit[0] = true;
          metrics.discarded(DiscardReason.STREAM_LIMIT, tenant, s.entries().size(), sBytes);
          errors.add(StreamLimitMessages.streamLimitExceeded(tenant, s.labels()));
          continue;
        }
        newStreams++;
      }
      admitted.add(s);
    }
    if (admitted.isEmpty()) return CompletableFuture.completedFuture(outcome(errors, anyRateLimit[0]));

    PushRequest toStore = new PushRequest(admitted);
    byte[] record = PushRecordCodec.encode(tenant, toStore);
    CompletableFuture<ApplyResult> applied;
    try {
      applied = wal.append(record, pos -> head.apply(tenant, toStore, pos.segmentId(), pos.offset(),
          io.lodge.ingester.head.ReplayMarks.none()));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new PushOutcome(503, "write-ahead log unavailable: " + e.getMessage()));
    }
    return applied.handle((result, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        return new PushOutcome(500, "failed to store entries: " + cause.getMessage());
      }
      for (ApplyResult.Stream s : result.streams()) {
        if (s.duplicates() > 0) {
          metrics.discarded(DiscardReason.DUPLICATE, tenant, s.duplicates(), s.duplicateBytes());
        }
        if (!s.tooFarBehind().isEmpty()) {
          long refusedBytes = 0;
          List<String> reasons = new ArrayList<>();
          List<Long> stamps = new ArrayList<>();
          for (ApplyResult.Refusal r : s.tooFarBehind()) {
            refusedBytes += r.bytes();
            if (stamps.size() < MAX_RETURNED_STREAM_ERRORS) {
              stamps.add(r.timestampNanos());
              reasons.add(StreamLimitMessages.tooFarBehind(r.timestampNanos(), r.oldestAcceptableNanos()));
            }
          }
          metrics.discarded(DiscardReason.TOO_FAR_BEHIND, tenant, s.tooFarBehind().size(), refusedBytes);
          errors.add(StreamLimitMessages.ingesterStreamReport(tenant, s.labels(), stamps, reasons,
              s.tooFarBehind().size(), s.total()));
        }
      }
      return outcome(errors, anyRateLimit[0]);
    });
  }

  private static PushOutcome outcome(List<String> errors, boolean rateLimited) {
    if (errors.isEmpty()) return PushOutcome.ok();
    return new PushOutcome(rateLimited ? 429 : 400, ErrorGrouping.format(errors));
  }

  private static List<Long> firstTimestamps(List<LogEntry> entries) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < entries.size() && i < MAX_RETURNED_STREAM_ERRORS; i++) out.add(entries.get(i).timestampNanos());
    return out;
  }

  private static long bytes(PushRequest r) {
    long n = 0;
    for (PushStream s : r.streams()) n += bytes(s.entries());
    return n;
  }

  private static long bytes(List<LogEntry> entries) {
    long n = 0;
    for (LogEntry e : entries) n += e.sizeBytes();
    return n;
  }

  /** For tests and metrics: whether a stream exists in the head. */
  boolean hasStream(String tenant, LabelSet labels) {
    return head.hasStream(tenant, labels);
  }
}
