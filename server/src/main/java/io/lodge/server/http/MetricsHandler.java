package io.lodge.server.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /metrics} (LOKI-COMPAT 2.13): the registry in Prometheus text format 0.0.4, or
 * OpenMetrics text when the scraper's {@code Accept} asks for it (Prometheus does by default).
 */
public final class MetricsHandler implements HttpHandler {
  public static final String PATH = "/metrics";

  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
  private final OpenMetricsTextFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();

  public MetricsHandler(PrometheusRegistry registry) {
    this.registry = registry;
  }

  public void register(Router router) {
    router.get(PATH, this);
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    String accept = request.header(HttpHeaderNames.ACCEPT);
    ExpositionFormatWriter writer = openMetrics.accepts(accept) ? openMetrics : text;
    MetricSnapshots snapshots = registry.scrape();
    ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer(16 * 1024);
    try (ByteBufOutputStream stream = new ByteBufOutputStream(out)) {
      writer.write(stream, snapshots);
    } catch (IOException | RuntimeException e) {
      out.release();
      if (e instanceof IOException io) throw new UncheckedIOException(io);
      throw (RuntimeException) e;
    }
    return CompletableFuture.completedFuture(Response.of(200, writer.getContentType(), out));
  }
}
