package io.lodge.server;

import io.lodge.config.ConfigException;
import io.lodge.config.ConfigLoader;
import io.lodge.config.ConfigRenderer;
import io.lodge.config.HelpRequestedException;
import io.lodge.config.LoadedConfig;
import io.lodge.server.log.LogSetup;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lodge's entry point: reads the configuration and runs the server until SIGTERM or Ctrl-C. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
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
    LogSetup.bridgeJul();
    LogSetup.setLevel(loaded.config().server().logLevel());
    Logger log = LoggerFactory.getLogger(Main.class);
    for (String w : loaded.warnings()) log.atWarn().log(w);
    if (loaded.printConfigStderr()) System.err.print(ConfigRenderer.render(loaded.config()));

    LodgeServer server;
    try {
      server = new LodgeServer(loaded.config());
    } catch (RuntimeException e) {
      log.atError().addKeyValue("err", e.getMessage()).setCause(e).log("cannot start Lodge");
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.atInfo().log("shutting down");
      try {
        server.close();
        log.atInfo().log("shutdown complete: WAL synced, files closed");
      } finally {
        stopped.countDown();
      }
    }, "lodge-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      log.atError().addKeyValue("err", e.getMessage()).setCause(e).log("cannot start Lodge");
      System.exit(1);
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
