package jpack.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jpack.config.SystemLimits;

/** Reads this process's exec limits (the stack limit decides ARG_MAX on Linux). */
public final class LimitsProbe {
  private LimitsProbe() {}

  public static SystemLimits probe() {
    String stack = softLimit("Max stack size");
    return SystemLimits.of(stack == null || stack.equals("unlimited") ? null
        : Long.valueOf(stack), System.getenv());
  }

  /** The soft limit on open files (ulimit -n) and how many are open now; null when unknown. */
  public static long[] openFiles() {
    String soft = softLimit("Max open files");
    if (soft == null || soft.equals("unlimited")) {
      return null;
    }
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return new long[] {Long.parseLong(soft), fds.count()};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A soft limit as /proc/self/limits writes it (a number or "unlimited"), or null when it cannot
   * be read (not Linux, an unexpected format: the caller keeps its default).
   */
  private static String softLimit(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith(name)) {
          String rest = line.substring(26).trim();
          int blank = rest.indexOf(' ');
          String soft = blank < 0 ? rest : rest.substring(0, blank);
          if (!soft.equals("unlimited")) {
            Long.parseLong(soft); // a number, or not the format this reads
          }
          return soft;
        }
      }
    } catch (IOException | RuntimeException e) {
      // as below
    }
    return null;
  }

  /** Whether jpack's stderr is a terminal (else a file or pipe: a job's log). */
  public static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
