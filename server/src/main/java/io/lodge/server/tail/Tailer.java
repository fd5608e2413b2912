package io.lodge.server.tail;

import io.lodge.ingester.model.Hash64;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.read.Direction;
import io.lodge.ingester.read.EntryIterator;
import io.lodge.ingester.read.LogReader;
import io.lodge.ingester.read.SelectRequest;
import io.lodge.querier.pipeline.Pipeline;
import io.lodge.querier.pipeline.PipelineResult;
import io.lodge.querier.pipeline.StreamPipeline;
import io.lodge.server.tail.TailFrames.Dropped;
import io.lodge.server.tail.TailFrames.Entry;
import io.lodge.server.tail.TailFrames.Format;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The reading side of one tail: first the newest {@code limit} entries from {@code start} to the open
 * time (sent oldest first), then, every poll, the entries that became visible since.
 *
 * <p>Polling: each poll reads {@code [max(floor, hi - lateGrace), hi)} with {@code hi = now - delay_for}
 * and skips what {@link SeenEntries} says was handled, so an entry is sent once even though windows
 * overlap, and an entry that arrives up to {@code lateGrace + delay_for} after its timestamp is still
 * sent (possibly after newer ones, like Loki, which sends in arrival order). The floor starts at the open
 * time: entries older than that belong to the historic part.
 *
 * <p>Slow clients: frames go to the channel only while the bytes handed to it and not yet written stay
 * under {@code maxPendingBytes} and the channel is writable; otherwise the entries are dropped and the
 * first 1000 of them reported in {@code dropped_entries} of the next frame that goes out. Memory per
 * tail is bounded by that budget, one frame of entries and the remembered keys.
 *
 * <p>Runs on the tail scheduler; one poll at a time (fixed-delay scheduling), so no locking. Only the
 * frame writes go to the channel's event loop (Netty hands them over).
 */
final class Tailer {
  private static final int MAX_STREAM_PIPELINES = 10_000;

  private final LogReader reader;
  private final String tenant;
  private final TailParams params;
  private final Pipeline pipeline;
  private final Format format;
  private final TailSettings settings;
  private final Channel channel;
  private final LongSupplier clock;
  /** Where historic ends and live begins: taken before the 101 went out, so the client's next entry is live. */
  private final long openNanos;
  private final SeenEntries seen;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final List<Dropped> dropped = new ArrayList<>();
  private final Map<LabelSet, StreamPipeline> streams = new HashMap<>();
  private boolean historicDone;
  /** Set by the session when it closes: no frame may follow a close frame. */
  private volatile boolean cancelled;

  Tailer(LogReader reader, String tenant, TailParams params, Pipeline pipeline, Format format,
      TailSettings settings, Channel channel, LongSupplier clock, long openNanos) {
    this.reader = reader;
    this.tenant = tenant;
    this.params = params;
    this.pipeline = pipeline;
    this.format = format;
    this.settings = settings;
    this.channel = channel;
    this.clock = clock;
    this.openNanos = openNanos;
    this.seen = new SeenEntries(openNanos, settings.maxRemembered());
  }

  /** One scheduler run: the historic part the first time, then a live poll. */
  void run() {
    if (cancelled || !channel.isActive()) return;
    if (!historicDone) {
      historicDone = true;
      historic();
    }
    poll();
  }

  /** The newest {@code limit} entries in {@code [start, open)}, oldest first. */
  private void historic() {
    if (params.startNanos() >= openNanos) return;
    List<Entry> newest = new ArrayList<>(Math.min(params.limit(), 1024));
    SelectRequest req = new SelectRequest(tenant, params.query().selector().matchers(), params.startNanos(),
        openNanos, Direction.BACKWARD);
    try (EntryIterator it = reader.select(req)) {
      while (newest.size() < params.limit() && it.next()) {
        Entry e = process(it);
        if (e != null) newest.add(e);
      }
    }
    Collections.reverse(newest);
    for (int i = 0; i < newest.size(); i += TailSettings.ENTRIES_PER_FRAME) {
      send(newest.subList(i, Math.min(newest.size(), i + TailSettings.ENTRIES_PER_FRAME)));
    }
  }

  /** Reads what became visible since the last poll and sends (or drops) it. */
  void poll() {
    long hi = clock.getAsLong() - params.delayFor().toNanos();
    long lo = Math.max(seen.floor(), hi - settings.lateGrace().toNanos());
    if (hi > lo) {
      List<Entry> batch = new ArrayList<>(TailSettings.ENTRIES_PER_FRAME);
      SelectRequest req = new SelectRequest(tenant, params.query().selector().matchers(), lo, hi, Direction.FORWARD);
      try (EntryIterator it = reader.select(req)) {
        while (it.next()) {
          if (!seen.add(it.timestampNanos(), it.labels().hash(), Hash64.xxh64(it.line()))) continue;
          Entry e = process(it);
          if (e == null) continue;
          batch.add(e);
          if (batch.size() == TailSettings.ENTRIES_PER_FRAME) {
            send(batch);
            batch = new ArrayList<>(TailSettings.ENTRIES_PER_FRAME);
            if (cancelled || !channel.isActive()) return;
          }
        }
      }
      if (!batch.isEmpty()) send(batch);
      seen.advance(lo);
    }
    // report drops without waiting for the next entry once the client catches up
    if (!dropped.isEmpty() && canSend()) send(List.of());
  }

  private Entry process(EntryIterator it) {
    LabelSet labels = it.labels();
    StreamPipeline sp = streams.get(labels);
    if (sp == null) {
      if (streams.size() >= MAX_STREAM_PIPELINES) streams.clear();
      sp = pipeline.forStream(labels);
      streams.put(labels, sp);
    }
    PipelineResult r = sp.process(it.timestampNanos(), it.line(), it.metadata());
    if (r == null) return null;
    // the iterator's and the pipeline's arrays are only valid until the next call
    return new Entry(it.timestampNanos(), r.stream(), List.copyOf(r.structuredMetadata()), List.copyOf(r.parsed()),
        r.line().clone());
  }

  /** Stops all further reads and writes (the scheduler may be running this tailer right now). */
  void cancel() {
    cancelled = true;
  }

  private boolean canSend() {
    return !cancelled && channel.isActive() && channel.isWritable() && pendingBytes.get() < settings.maxPendingBytes();
  }

  /** Writes one frame of {@code entries} (plus the drops so far), or drops them all. */
  private void send(List<Entry> entries) {
    if (cancelled) return;
    if (!canSend()) {
      for (Entry e : entries) {
        if (dropped.size() < TailSettings.MAX_DROPPED) dropped.add(new Dropped(e.ts(), e.allLabels()));
      }
      return;
    }
    byte[] json = TailFrames.encode(format, entries, dropped);
    dropped.clear();
    long size = json.length;
    pendingBytes.addAndGet(size);
    channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(json)))
        .addListener((ChannelFutureListener) f -> pendingBytes.addAndGet(-size));
  }
}
