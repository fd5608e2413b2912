package io.lodge.ingester.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the shared loghub fixture ({@code shared/data/loghub}, 16 systems x 2000 lines) for tests of
 * every module: the {@code lodge.shared.dir} system property that the build sets (the {@code shared}
 * folder beside the checkout), else the nearest {@code shared/data/loghub} above the working directory.
 * A missing fixture fails the test: it is never silently skipped.
 */
public final class LoghubData {
  private LoghubData() {}

  /** The loghub directory. */
  public static Path dir() {
    String prop = System.getProperty("lodge.shared.dir");
    if (prop != null) {
      Path p = Path.of(prop).resolve("data/loghub");
      if (Files.isDirectory(p)) return p;
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("shared/data/loghub");
      if (Files.isDirectory(p)) return p;
      Path sibling = d.resolveSibling("shared").resolve("data/loghub");
      if (Files.isDirectory(sibling)) return sibling;
    }
    throw new IllegalStateException("loghub fixture not found: set -Dlodge.shared.dir or run beside ../shared"
        + " (lodge.shared.dir=" + prop + ", working directory " + Path.of("").toAbsolutePath() + ")");
  }

  /** One system's file, e.g. {@code OpenSSH_2k.log}. */
  public static Path file(String name) {
    return dir().resolve(name);
  }

  /** The lines of one system's file. */
  public static List<String> lines(String name) {
    try {
      return Files.readAllLines(file(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
