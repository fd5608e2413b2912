package io.lodge.ingester;

import io.lodge.ingester.model.PushRequest;
import java.util.concurrent.CompletableFuture;

/**
 * The one ingest entry point for every receiver (HTTP push, gRPC, OTLP, ...): validates, applies limits,
 * writes the WAL and appends to the head. The future completes only after the accepted entries are
 * durable (as configured), with the status and message Loki would answer.
 */
public interface PushService {
  CompletableFuture<PushOutcome> push(String tenant, PushRequest request);
}
