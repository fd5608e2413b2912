package io.lodge.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StartupTaskTest {
  @Test
  void runsOnItsOwnNamedDaemonThreadAndJoinWaitsForIt() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    StartupTask task = StartupTask.start("lodge-test-task", () -> {
      ranOn.set(Thread.currentThread());
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread waiter = Thread.ofPlatform().start(task::join);
    waiter.join(200);
    assertThat(waiter.isAlive()).as("join returns before the work is done").isTrue();
    release.countDown();
    waiter.join(10_000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    assertThat(ranOn.get().getName()).isEqualTo("lodge-test-task");
    assertThat(ranOn.get().isDaemon()).isTrue();
  }

  @Test
  void joinRethrowsTheWorksUncheckedExceptionAndError() {
    IllegalArgumentException thrown = new IllegalArgumentException("bad index directory");
    StartupTask failing = StartupTask.start("lodge-test-failing", () -> {
      throw thrown;
    });
    assertThatThrownBy(failing::join).isSameAs(thrown);
    assertThatThrownBy(failing::join).as("every join reports it").isSameAs(thrown);

    UnsatisfiedLinkError linkError = new UnsatisfiedLinkError("no zstd-jni in java.library.path");
    StartupTask erring = StartupTask.start("lodge-test-erring", () -> {
      throw linkError;
    });
    assertThatThrownBy(erring::join).isSameAs(linkError);
  }

  @Test
  void anInterruptedJoinSaysWhatItWaitedForAndKeepsTheInterrupt() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    StartupTask slow = StartupTask.start("lodge-test-slow", () -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread waiter = Thread.ofPlatform().start(() -> {
      try {
        slow.join();
      } catch (IllegalStateException e) {
        failure.set(e);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    waiter.interrupt();
    waiter.join(10_000);
    release.countDown();
    assertThat(failure.get()).hasMessageContaining("lodge-test-slow");
    assertThat(stillInterrupted.get()).isTrue();
  }
}
