package io.lodge.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Process-wide logging switches: route java.util.logging into SLF4J (call once at startup), and read
 * or change the root level ({@code -log.level}, {@code /log_level}) with Loki's level names
 * {@code debug}, {@code info}, {@code warn}, {@code error}.
 */
public final class LogSetup {
  private LogSetup() {}

  /** Sends JUL records (JDK internals, some libraries) to SLF4J, and so to the logfmt appender. */
  public static void bridgeJul() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** Whether {@code name} is a level Loki accepts. */
  public static boolean isValidLevel(String name) {
    return name != null && switch (name) {
      case "debug", "info", "warn", "error" -> true;
      default -> false;
    };
  }

  /** Sets the root logger's level. */
  public static void setLevel(String name) {
    if (!isValidLevel(name)) {
      throw new IllegalArgumentException("unrecognized log level '" + name + "': expected debug, info, warn or error");
    }
    root().setLevel(Level.toLevel(name.toUpperCase(Locale.ROOT)));
  }

  /** The root logger's level, by Loki's name. */
  public static String level() {
    Level l = root().getLevel();
    return l == null ? "info" : LogfmtEncoder.levelName(l);
  }

  private static Logger root() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext ctx)) {
      throw new IllegalStateException("logback is not the SLF4J backend: " + factory.getClass().getName());
    }
    return ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
