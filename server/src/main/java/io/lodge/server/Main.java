package io.lodge.server;

/** Lodge's entry point: reads the configuration and runs the server until SIGTERM or Ctrl-C. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.err.println("level=error msg=\"server not built yet\"");
    System.exit(1);
  }
}
