package io.lodge.bench.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Resident memory and CPU time of a process from Linux's /proc: {@code VmRSS} of /proc/pid/status and
 * utime+stime of /proc/pid/stat (in clock ticks, 100 per second on Linux/x86 kernels), and the same per
 * thread from /proc/pid/task. Also finds the process that listens on a local TCP port, so the server need
 * not be named by pid.
 */
public final class ProcessStats {
  private static final double TICKS_PER_SECOND = 100.0;

  /** One reading: resident set in bytes and user+system CPU seconds. */
  public record Sample(long rssBytes, double cpuSeconds) {}

  private ProcessStats() {}

  /** A reading of {@code pid}, empty when /proc does not have it (not Linux, or the process is gone). */
  public static Optional<Sample> sample(long pid) {
    try {
      long rssKb = -1;
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith("VmRSS:")) rssKb = Long.parseLong(l.substring(6).trim().split("\\s+")[0]);
      }
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the command name (which may hold spaces) start at state, field 3; utime is 14, stime 15
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
      return Optional.of(new Sample(rssKb * 1024, cpu));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * CPU seconds of {@code pid}'s live threads, summed by thread group: a thread's name (as /proc shows it,
   * at most 15 bytes) without a trailing number and the '-', '#' or space before it, so {@code lodge-push-1}
   * and {@code lodge-push-2} count as {@code lodge-push}. Threads that already ended are not in it. Empty
   * when /proc does not have the process.
   */
  public static Map<String, Double> threadCpu(long pid) {
    Map<String, Double> out = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String[] f = stat.substring(close + 2).trim().split(" ");
          double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
          out.merge(threadGroup(stat.substring(open + 1, close)), cpu, Double::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  /** A thread name without its trailing number: {@code lodge-push-2} → {@code lodge-push}, {@code GC Thread#0} → {@code GC Thread}. */
  static String threadGroup(String name) {
    int end = name.length();
    while (end > 0 && Character.isDigit(name.charAt(end - 1))) end--;
    if (end == name.length()) return name;
    while (end > 0 && "-#_ ".indexOf(name.charAt(end - 1)) >= 0) end--;
    return end == 0 ? name : name.substring(0, end);
  }

  /**
   * The CPU seconds each group used between two {@link #threadCpu} readings, largest first; groups that
   * lost threads in between may come out lower than they were (never below zero).
   */
  public static Map<String, Double> threadCpuDelta(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> out = new LinkedHashMap<>();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0.0))))
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /**
   * The pid of the local process listening on {@code url}'s port, when the host is a loopback name or
   * address and /proc shows the socket (the same user, or root); empty otherwise.
   */
  public static Optional<Long> findListener(URI url) {
    String host = url.getHost();
    if (host == null || !(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
        || host.equals("::1") || host.equals("0.0.0.0"))) {
      return Optional.empty();
    }
    int port = url.getPort() > 0 ? url.getPort() : ("https".equals(url.getScheme()) ? 443 : 80);
    String portHex = String.format(Locale.ROOT, "%04X", port);
    String inode = null;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String l : Files.readAllLines(Path.of(table))) {
          String[] f = l.trim().split("\\s+");
          // sl local_address rem_address st ... inode (field 9); st 0A is LISTEN
          if (f.length > 9 && f[1].endsWith(":" + portHex) && f[3].equals("0A")) inode = f[9];
        }
      } catch (IOException e) {
        // no such table (IPv6 disabled, or not Linux): try the next
      }
      if (inode != null) break;
    }
    if (inode == null) return Optional.empty();
    String target = "socket:[" + inode + "]";
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            try {
              if (Files.readSymbolicLink(fd).toString().equals(target)) return Optional.of(Long.parseLong(proc.getFileName().toString()));
            } catch (IOException e) {
              // the descriptor closed while we looked
            }
          }
        } catch (IOException e) {
          // another user's process, or it exited
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
