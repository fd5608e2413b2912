package io.lodge.server;

import io.lodge.config.ConfigException;
import io.lodge.config.ConfigLoader;
import io.lodge.config.ConfigRenderer;
import io.lodge.config.HelpRequestedException;
import io.lodge.config.LoadedConfig;
import io.lodge.ingester.StartupTask;
import io.lodge.ingester.index.LabelIndex;
import io.lodge.server.log.LogSetup;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lodge's entry point: reads the configuration and runs the server until SIGTERM or Ctrl-C. */
public final class Main {
  private static final String NETTY_JFR = "io.netty.jfr.enabled";

  private Main() {}

  public static void main(String[] args) {
    long mainStarted = System.nanoTime();
    // Netty 4.2 declares JFR events for its allocator, and loading an event class makes the JVM generate
    // its JFR handlers (~0.4 CPU-s of class generation and JIT before ready); its events are off in
    // JFR's own settings anyway. -Dio.netty.jfr.enabled=true brings them back.
    if (System.getProperty(NETTY_JFR) == null) System.setProperty(NETTY_JFR, "false");
    // starting logback and reading the configuration are independent and take 0.1 s each in a fresh JVM
    StartupTask loggingStarted = StartupTask.start("lodge-logging-init", () -> {
      LoggerFactory.getILoggerFactory();
      LogSetup.bridgeJul();
    });
    // so are Lucene's directory and codec classes, which the label index needs first thing in construction
    StartupTask luceneLoaded = StartupTask.start("lodge-lucene-init", LabelIndex::loadLucene);
    LoadedConfig loaded;
    try {
      loaded = ConfigLoader.load(args);
    } catch (HelpRequestedException help) {
      System.out.print(help.usage());
      return;
    } catch (ConfigException e) {
      System.err.println("level=error msg=\"invalid configuration\" err=\"" + e.getMessage().replace("\"", "\\\"") + "\"");
      System.exit(1);
      return;
    }
    long configRead = System.nanoTime();
    loggingStarted.join();
    LogSetup.setLevel(loaded.config().server().logLevel());
    Logger log = LoggerFactory.getLogger(Main.class);
    for (String w : loaded.warnings()) log.atWarn().log(w);
    if (loaded.printConfigStderr()) System.err.print(ConfigRenderer.render(loaded.config()));

    long loggingSet = System.nanoTime();
    LodgeServer server;
    try {
      luceneLoaded.join();
      server = new LodgeServer(loaded.config());
    } catch (RuntimeException e) {
      log.atError().addKeyValue("err", e.getMessage()).setCause(e).log("cannot start Lodge");
      System.exit(1);
      return;
    }
    long constructed = System.nanoTime();
    // SIGTERM and Ctrl-C stop the server from the main thread and exit 0, as Loki does; the hook covers
    // every other way the JVM may end
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String sig : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> stopRequested.countDown());
    }
    AtomicBoolean closed = new AtomicBoolean();
    Runnable shutdown = () -> {
      if (!closed.compareAndSet(false, true)) return;
      log.atInfo().log("shutting down");
      server.close();
      log.atInfo().log("shutdown complete: WAL synced, files closed");
    };
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "lodge-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      log.atError().addKeyValue("err", e.getMessage()).setCause(e).log("cannot start Lodge");
      System.exit(1);
    }
    // where the time to ready went (JVM start to main is the rest of the uptime)
    log.atInfo().addKeyValue("jvm_uptime_ms", ManagementFactory.getRuntimeMXBean().getUptime())
        .addKeyValue("config_ms", millis(configRead - mainStarted))
        .addKeyValue("logging_ms", millis(loggingSet - configRead))
        .addKeyValue("construct_ms", millis(constructed - loggingSet))
        .addKeyValue("start_ms", millis(System.nanoTime() - constructed)).log("startup timing");
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutdown.run();
    System.exit(0);
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
