package io.lodge.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The loghub sample logs (one file per system, {@code <System>_2k.log}) as UTF-8 byte lines, grouped
 * by system so a stream can carry one system's lines like a real service would.
 */
public final class LoghubLines {
  private final List<String> systems;
  private final List<byte[][]> lines;

  private LoghubLines(List<String> systems, List<byte[][]> lines) {
    this.systems = systems;
    this.lines = lines;
  }

  /** Reads every {@code *.log} file in {@code dir}; the system name is the file name up to the first '_'. */
  public static LoghubLines load(Path dir) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.log")) {
      ds.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list loghub files in " + dir, e);
    }
    files.sort(null);
    if (files.isEmpty()) throw new IllegalArgumentException("no *.log files in " + dir);
    List<String> systems = new ArrayList<>();
    List<byte[][]> lines = new ArrayList<>();
    for (Path f : files) {
      List<byte[]> ls = new ArrayList<>();
      try {
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!l.isBlank()) ls.add(l.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
      if (ls.isEmpty()) continue;
      String name = f.getFileName().toString();
      int us = name.indexOf('_');
      systems.add(us > 0 ? name.substring(0, us) : name.substring(0, name.length() - ".log".length()));
      lines.add(ls.toArray(new byte[0][]));
    }
    return new LoghubLines(List.copyOf(systems), List.copyOf(lines));
  }

  /**
   * Finds the loghub directory: {@code explicit} when given, else the {@code lodge.shared.dir} system
   * property, else a {@code shared/data/loghub} directory beside the working directory or one of its
   * parents (the repository lives next to {@code shared/} on the development machine).
   */
  public static Path locate(Path explicit) {
    if (explicit != null) {
      if (!Files.isDirectory(explicit)) throw new IllegalArgumentException("--data " + explicit + " is not a directory");
      return explicit;
    }
    String prop = System.getProperty("lodge.shared.dir");
    if (prop != null && Files.isDirectory(Paths.get(prop, "data", "loghub"))) return Paths.get(prop, "data", "loghub");
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path d = p.resolve("shared").resolve("data").resolve("loghub");
      if (Files.isDirectory(d)) return d;
    }
    throw new IllegalArgumentException("no shared/data/loghub directory found above " + Paths.get("").toAbsolutePath()
        + "; pass --data <dir with *.log files>");
  }

  public int systemCount() {
    return systems.size();
  }

  public String system(int i) {
    return systems.get(i);
  }

  /** The lines of system {@code i}; callers must not modify them. */
  public byte[][] lines(int i) {
    return lines.get(i);
  }
}
