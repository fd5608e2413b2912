package io.lodge.server.syslog;

import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.PushService;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects syslog entries from all connections into push requests of up to {@code batchSize} entries
 * (or whatever arrived within {@code batchWait}) and sends them through {@link PushService} one at a
 * time, in order, on its own thread, so the ingester sees each stream's entries in arrival order.
 *
 * <p>Backpressure: when the push service answers 429 or 5xx (or fails), the batch is retried with
 * exponential backoff up to {@value #MAX_RETRIES} times and then dropped and counted. Meanwhile the
 * queue grows; above the high watermark ({@code 4 x batchSize}) the batcher is <em>saturated</em>:
 * TCP handlers stop reading (their peers block in the kernel's socket buffers) and UDP datagrams are
 * dropped and counted, so memory stays bounded. Below the low watermark the registered resume hooks
 * run and TCP reading starts again. A 400 means validation refused some entries (the rest is stored):
 * logged (at most once a second) and counted in {@code lodge_syslog_pushes_total{status_code="400"}}
 * and the ingester's discard metrics, never retried.
 */
public final class SyslogBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyslogBatcher.class);
  static final int MAX_RETRIES = 10;
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final PushService service;
  private final String tenant;
  private final int batchSize;
  private final int highWatermark;
  private final SyslogMetrics metrics;
  private final ScheduledExecutorService sender;
  private final List<Runnable> resumeHooks = new CopyOnWriteArrayList<>();

  // guarded by this
  private Map<LabelSet, List<LogEntry>> pending = new LinkedHashMap<>();
  private int pendingCount;
  private final ArrayDeque<PushRequest> ready = new ArrayDeque<>();
  private long queued; // pending + ready + in flight
  private PushRequest inFlight;
  private int attempts;
  private boolean closed;
  private long lastRejectLogMillis;

  public SyslogBatcher(PushService service, String tenant, int batchSize, Duration batchWait, SyslogMetrics metrics) {
    if (batchSize < 1) throw new IllegalArgumentException("syslog batch_size must be at least 1, got " + batchSize);
    this.service = service;
    this.tenant = tenant;
    this.batchSize = batchSize;
    this.highWatermark = 4 * batchSize;
    this.metrics = metrics;
    this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lodge-syslog-push");
      t.setDaemon(true);
      return t;
    });
    long waitMs = Math.max(1, batchWait.toMillis());
    sender.scheduleWithFixedDelay(this::tick, waitMs, waitMs, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code hook} (from the sender thread) each time the queue drains below the low watermark. */
  public void onResume(Runnable hook) {
    resumeHooks.add(hook);
  }

  /** True above the high watermark: TCP should stop reading, UDP should drop. */
  public synchronized boolean saturated() {
    return queued >= highWatermark;
  }

  /**
   * Queues one entry. With {@code dropWhenSaturated} (UDP) a saturated batcher refuses it and returns
   * false; otherwise (TCP: the bytes were already read) it is always queued.
   */
  public boolean offer(LabelSet labels, LogEntry entry, boolean dropWhenSaturated) {
    boolean cut;
    synchronized (this) {
      if (closed || (dropWhenSaturated && queued >= highWatermark)) return false;
      pending.computeIfAbsent(labels, k -> new ArrayList<>()).add(entry);
      pendingCount++;
      queued++;
      cut = pendingCount >= batchSize;
      if (cut) cutPending();
    }
    if (cut) sender.execute(this::sendNext);
    return true;
  }

  /** Entries queued or being pushed. */
  public synchronized long queued() {
    return queued;
  }

  // caller holds the lock
  private void cutPending() {
    if (pendingCount == 0) return;
    List<PushStream> streams = new ArrayList<>(pending.size());
    pending.forEach((labels, entries) -> streams.add(new PushStream(labels, entries)));
    ready.add(new PushRequest(streams));
    pending = new LinkedHashMap<>();
    pendingCount = 0;
  }

  private void tick() {
    synchronized (this) {
      cutPending();
      metrics.queued(queued);
    }
    sendNext();
  }

  // sender thread only
  private void sendNext() {
    PushRequest next;
    synchronized (this) {
      if (inFlight != null || ready.isEmpty()) return;
      next = ready.poll();
      inFlight = next;
      attempts = 0;
    }
    push(next);
  }

  private void push(PushRequest request) {
    try {
      service.push(tenant, request).whenComplete((outcome, failure) ->
          sender.execute(() -> completed(request, outcome, failure)));
    } catch (RuntimeException e) {
      sender.execute(() -> completed(request, null, e));
    }
  }

  private void completed(PushRequest request, PushOutcome outcome, Throwable failure) {
    int status = failure != null ? 500 : outcome.status();
    metrics.pushed(status);
    boolean retry = failure != null || status == 429 || status >= 500;
    if (retry) {
      int attempt;
      synchronized (this) {
        attempt = ++attempts;
      }
      String why = failure != null ? String.valueOf(failure) : outcome.message();
      if (attempt <= MAX_RETRIES && !sender.isShutdown()) {
        long backoff = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(attempt - 1, 16));
        log.atWarn().addKeyValue("status", status).addKeyValue("attempt", attempt).addKeyValue("backoff_ms", backoff)
            .addKeyValue("error", why).log("syslog push refused, retrying");
        try {
          sender.schedule(() -> push(request), backoff, TimeUnit.MILLISECONDS);
          return;
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // shutting down: fall through and drop
        }
      }
      log.atError().addKeyValue("status", status).addKeyValue("entries", request.entryCount())
          .addKeyValue("error", why).log("syslog push failed, dropping the batch");
      metrics.dropped("push_failed", request.entryCount());
    } else if (!outcome.isSuccess()) {
      // some entries were refused by validation or limits; the rest is stored. Not worth a retry.
      long now = System.currentTimeMillis();
      boolean logIt;
      synchronized (this) {
        logIt = now - lastRejectLogMillis >= 1_000;
        if (logIt) lastRejectLogMillis = now;
      }
      if (logIt) {
        log.atWarn().addKeyValue("status", status).addKeyValue("error", outcome.message())
            .log("syslog entries refused by the ingester");
      }
    }
    boolean resume;
    synchronized (this) {
      queued -= request.entryCount();
      inFlight = null;
      resume = queued <= batchSize; // the low watermark

      metrics.queued(queued);
      notifyAll();
    }
    if (resume) for (Runnable hook : resumeHooks) hook.run();
    sendNext();
  }

  /** Stops taking entries, pushes what is queued (waiting up to {@code timeout}), then stops the thread. */
  public void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      closed = true;
      cutPending();
    }
    try {
      sender.execute(this::sendNext);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return;
    }
    synchronized (this) {
      try {
        while ((inFlight != null || !ready.isEmpty()) && System.nanoTime() < deadline) {
          wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
          if (inFlight == null && !ready.isEmpty()) sender.execute(this::sendNext);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (inFlight != null || !ready.isEmpty()) {
        long lost = queued;
        log.atError().addKeyValue("entries", lost).log("syslog receiver closed before its queue was pushed");
        metrics.dropped("push_failed", lost);
      }
    }
    sender.shutdownNow();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
