package io.lodge.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.push.PushDecodeException;
import io.lodge.ingester.push.PushTooLargeException;
import io.lodge.server.tenant.TenantException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class LokiErrorsTest {
  private static void check(Throwable t, int status, String body) {
    Response r = LokiErrors.toResponse(t, "test");
    try {
      assertThat(r.status()).isEqualTo(status);
      assertThat(r.bodyText()).isEqualTo(body);
      assertThat(r.contentType()).isEqualTo(Response.TEXT_PLAIN);
      assertThat(r.headers()).anySatisfy(h -> {
        assertThat(h.getKey()).isEqualTo("X-Content-Type-Options");
        assertThat(h.getValue()).isEqualTo("nosniff");
      });
    } finally {
      r.body().release();
    }
  }

  @Test
  void typedFailuresKeepTheirStatusAndMessage() {
    check(new HttpStatusException(400, "invalid query"), 400, "invalid query\n");
    check(new TenantException(401, "no org id"), 401, "no org id\n");
    check(new PushDecodeException("snappy: corrupt input"), 400, "snappy: corrupt input\n");
    check(new PushTooLargeException("too big"), 413, "too big\n");
    check(new CancellationException(), 499, LokiErrors.CANCELLED + "\n");
    check(new RejectedExecutionException("full"), 503, "too many requests in progress, try again later\n");
  }

  @Test
  void wrappersAreUnwrappedAndUnknownFailuresAre500() {
    check(new CompletionException(new ExecutionException(new HttpStatusException(504, "timeout"))), 504, "timeout\n");
    check(new CompletionException(new IllegalStateException("our bug")), 500, "our bug\n");
    check(new NullPointerException(), 500, "java.lang.NullPointerException\n");
  }
}
