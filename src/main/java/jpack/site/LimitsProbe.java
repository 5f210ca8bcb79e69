package jpack.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jpack.config.SystemLimits;

/** Reads this process's exec limits (the stack limit decides ARG_MAX on Linux). */
public final class LimitsProbe {
  private LimitsProbe() {}

  public static SystemLimits probe() {
    Long stack = null;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max stack size")) {
          String rest = line.substring(26).trim();
          int blank = rest.indexOf(' ');
          String soft = blank < 0 ? rest : rest.substring(0, blank);
          if (!soft.equals("unlimited")) {
            stack = Long.parseLong(soft);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or an unexpected format: keep the common default
    }
    return SystemLimits.of(stack, System.getenv());
  }

  /** The soft limit on open files (ulimit -n) and how many are open now; null when unknown. */
  public static long[] openFiles() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String rest = line.substring(26).trim();
          int blank = rest.indexOf(' ');
          String soft = blank < 0 ? rest : rest.substring(0, blank);
          if (soft.equals("unlimited")) {
            return null;
          }
          long open;
          try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            open = fds.count();
          }
          return new long[] {Long.parseLong(soft), open};
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or an unexpected format
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
