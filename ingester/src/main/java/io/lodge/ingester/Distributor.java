package io.lodge.ingester;

import io.lodge.config.LimitsConfig;
import io.lodge.ingester.head.ApplyResult;
import io.lodge.ingester.head.Head;
import io.lodge.ingester.head.HeadPressure;
import io.lodge.ingester.model.EntryBatch;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushSource;
import io.lodge.ingester.model.PushStream;
import io.lodge.ingester.validate.DiscardReason;
import io.lodge.ingester.validate.ErrorGrouping;
import io.lodge.ingester.validate.IngestionBlock;
import io.lodge.ingester.validate.StreamLimitMessage;
import io.lodge.ingester.validate.StreamLimitMessage.IgnoredEntry;
import io.lodge.ingester.validate.StreamRateLimiter;
import io.lodge.ingester.validate.TenantRateLimiter;
import io.lodge.ingester.validate.ValidationMetrics;
import io.lodge.ingester.validate.ValidationResult;
import io.lodge.ingester.validate.Validator;
import io.lodge.ingester.wal.EncodedRecord;
import io.lodge.ingester.wal.PushRecordCodec;
import io.lodge.ingester.wal.WalWriteException;
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
  private final LimitsConfig limits;
  private final Validator validator;
  private final ValidationMetrics metrics;
  private final TenantRateLimiter tenantRate;
  private final StreamRateLimiter streamRate;
  private final IngestionBlock block;
  private final Head head;
  private final HeadPressure pressure;
  private final WalWriter wal;
  private final IngesterState state;
  private final LongSupplier clock;

  Distributor(LimitsConfig limits, ValidationMetrics metrics, Head head, HeadPressure pressure, WalWriter wal,
      IngesterState state, LongSupplier clockNanos) {
    this.limits = limits;
    this.metrics = metrics;
    this.validator = new Validator(limits, metrics);
    this.tenantRate = new TenantRateLimiter(limits, metrics);
    this.streamRate = new StreamRateLimiter(limits, metrics);
    this.block = new IngestionBlock(limits, metrics);
    this.head = head;
    this.pressure = pressure;
    this.wal = wal;
    this.state = state;
    this.clock = clockNanos;
  }

  @Override
  public CompletableFuture<PushOutcome> push(String tenant, PushRequest request) {
    // the kept body is read only while the record is encoded, before push returns: it goes back then
    PushSource source = request.source();
    byte[] body = source == null ? null : source.claim();
    try {
      return push(tenant, request, body);
    } finally {
      if (body != null) source.recycle(body);
    }
  }

  private CompletableFuture<PushOutcome> push(String tenant, PushRequest request, byte[] body) {
    if (!state.isReady()) {
      return CompletableFuture.completedFuture(new PushOutcome(503, "Ingester not ready: " + state.reason()));
    }
    String headFull = pressure.refusal();
    if (headFull != null) return CompletableFuture.completedFuture(new PushOutcome(503, headFull));
    long now = clock.getAsLong();
    if (request.streams().isEmpty()) {
      return CompletableFuture.completedFuture(
          new PushOutcome(422, "error at least one valid stream is required for ingestion"));
    }
    ValidationResult v = validator.validate(tenant, request, now);
    List<String> errors = new ArrayList<>(v.errors());
    PushRequest accepted = v.accepted();

    long acceptedBytes = v.acceptedBytes();
    Optional<IngestionBlock.Blocked> blocked = block.check(tenant, v.acceptedLines(), acceptedBytes, now);
    if (blocked.isPresent()) {
      IngestionBlock.Blocked b = blocked.get();
      return CompletableFuture.completedFuture(new PushOutcome(b.status(), b.silentSuccess() ? "" : b.message()));
    }
    if (accepted.streams().isEmpty()) return CompletableFuture.completedFuture(outcome(errors, false));

    // the limiters count their own discards
    Optional<String> rateLimited = tenantRate.tryAcquire(tenant, v.acceptedLines(), acceptedBytes, now);
    if (rateLimited.isPresent()) {
      return CompletableFuture.completedFuture(new PushOutcome(429, rateLimited.get()));
    }

    boolean anyRateLimit = false;
    List<PushStream> admitted = new ArrayList<>(accepted.streams().size());
    int newStreams = 0;
    for (PushStream s : accepted.streams()) {
      long sBytes = Validator.entryBytes(s.entries());
      Optional<String> streamLimited = streamRate.tryAcquire(tenant, s.labels(), s.entries().size(), sBytes, now);
      if (streamLimited.isPresent()) {
        anyRateLimit = true;
        errors.add(StreamLimitMessage.ingesterReport(tenant, s.labels(),
            ignored(s.entries(), streamLimited.get()), s.entries().size()));
        continue;
      }
      if (!head.hasStream(tenant, s.labels())) {
        int limit = limits.maxGlobalStreamsPerUser();
        if (limit > 0 && head.streamCount(tenant) + newStreams >= limit) {
          anyRateLimit = true;
          metrics.discarded(DiscardReason.STREAM_LIMIT, tenant, s.entries().size(), sBytes);
          errors.add(StreamLimitMessage.streamLimit(s.labels(), tenant));
          continue;
        }
        newStreams++;
      }
      admitted.add(s);
    }
    boolean rateLimitedStreams = anyRateLimit;
    if (admitted.isEmpty()) return CompletableFuture.completedFuture(outcome(errors, rateLimitedStreams));

    PushRequest toStore = new PushRequest(admitted);
    EncodedRecord record = PushRecordCodec.encodePooled(tenant, toStore, request.streams(), body,
        body == null ? 0 : request.source().length());
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
        return storeFailure(cause);
      }
      for (ApplyResult.Stream s : result.streams()) {
        if (s.duplicates() > 0) {
          metrics.discarded(DiscardReason.DUPLICATE, tenant, s.duplicates(), s.duplicateBytes());
        }
        if (!s.tooFarBehind().isEmpty()) {
          long refusedBytes = 0;
          List<IgnoredEntry> ignored = new ArrayList<>();
          for (ApplyResult.Refusal r : s.tooFarBehind()) {
            refusedBytes += r.bytes();
            ignored.add(new IgnoredEntry(r.timestampNanos(),
                StreamLimitMessage.tooFarBehind(r.timestampNanos(), r.oldestAcceptableNanos())));
          }
          metrics.discarded(DiscardReason.TOO_FAR_BEHIND, tenant, s.tooFarBehind().size(), refusedBytes);
          errors.add(StreamLimitMessage.ingesterReport(tenant, s.labels(), ignored, s.total()));
        }
      }
      return outcome(errors, rateLimitedStreams);
    });
  }

  /** Backlog or shutdown: try later (503); an I/O failure: 500. Clients retry both. */
  private static PushOutcome storeFailure(Throwable cause) {
    if (cause instanceof WalWriteException w) {
      return switch (w.reason()) {
        case BACKLOG_FULL, CLOSED -> new PushOutcome(503, w.getMessage());
        case TOO_LARGE -> new PushOutcome(413, w.getMessage());
        case IO_ERROR -> new PushOutcome(500, "failed to write the WAL: " + w.getMessage());
      };
    }
    return new PushOutcome(500, "failed to store entries: " + cause);
  }

  private static PushOutcome outcome(List<String> errors, boolean rateLimited) {
    if (errors.isEmpty()) return PushOutcome.ok();
    return new PushOutcome(rateLimited ? 429 : 400, ErrorGrouping.format(errors));
  }

  private static List<IgnoredEntry> ignored(EntryBatch entries, String reason) {
    List<IgnoredEntry> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) out.add(new IgnoredEntry(entries.timestampNanos(i), reason));
    return out;
  }

  /** For tests and metrics: whether a stream exists in the head. */
  boolean hasStream(String tenant, LabelSet labels) {
    return head.hasStream(tenant, labels);
  }
}
