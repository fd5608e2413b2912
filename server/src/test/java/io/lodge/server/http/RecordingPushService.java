package io.lodge.server.http;

import io.lodge.ingester.PushOutcome;
import io.lodge.ingester.PushService;
import io.lodge.ingester.model.PushRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A PushService for tests: records every push and answers with a settable outcome function. */
final class RecordingPushService implements PushService {
  record Call(String tenant, PushRequest request) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  volatile Function<PushRequest, CompletableFuture<PushOutcome>> answer =
      r -> CompletableFuture.completedFuture(PushOutcome.ok());

  @Override
  public CompletableFuture<PushOutcome> push(String tenant, PushRequest request) {
    calls.add(new Call(tenant, request));
    return answer.apply(request);
  }
}
