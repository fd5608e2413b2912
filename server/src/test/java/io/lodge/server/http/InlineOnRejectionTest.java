package io.lodge.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InlineOnRejectionTest {
  @Test
  void runsOnTheWorkersWhileTheyTakeWorkAndOnTheCallerOnceTheyDoNot() throws Exception {
    BlockingWorkers workers = new BlockingWorkers("inline-test", 1, 1);
    InlineOnRejection answers = new InlineOnRejection(workers);
    CompletableFuture<String> onWorker = new CompletableFuture<>();
    answers.execute(() -> onWorker.complete(Thread.currentThread().getName()));
    assertThat(onWorker.get(10, TimeUnit.SECONDS)).startsWith("lodge-inline-test");

    workers.close();
    String[] ranOn = new String[1];
    answers.execute(() -> ranOn[0] = Thread.currentThread().getName());
    assertThat(ranOn[0]).isEqualTo(Thread.currentThread().getName());
  }
}
