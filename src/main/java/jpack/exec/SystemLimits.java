package jpack.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The exec size limits xargs works with: ARG_MAX (a quarter of the stack limit on Linux, at least
 * 128 KiB), less 2048 bytes of headroom and what the environment takes.
 *
 * @param argMax the system's ARG_MAX
 * @param envBytes bytes the environment takes on exec
 */
public record SystemLimits(long argMax, long envBytes) {
  private static final long DEFAULT_ARG_MAX = 2L * 1024 * 1024;
  /** xargs' default command buffer. */
  public static final long DEFAULT_MAX_CHARS = 128L * 1024;

  public static SystemLimits probe() {
    long argMax = DEFAULT_ARG_MAX;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max stack size")) {
          String soft = line.substring(26).trim().split("\\s+")[0];
          if (!soft.equals("unlimited")) {
            argMax = Math.max(128L * 1024, Long.parseLong(soft) / 4);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or an unexpected format: keep the common default
    }
    long env = 0;
    for (Map.Entry<String, String> e : System.getenv().entrySet()) {
      env += e.getKey().length() + e.getValue().length() + 2 + 8;
    }
    return new SystemLimits(argMax, env);
  }

  /** POSIX's upper limit on the argument length here: larger -s values are capped to it. */
  public long posixUpper() {
    return argMax - 2048 - envBytes;
  }

  /** The longest command line that can really be passed with this environment. */
  public long usable() {
    return posixUpper() - envBytes;
  }

  /** The -s value used when none is given. */
  public long defaultMaxChars() {
    return Math.min(DEFAULT_MAX_CHARS, usable());
  }
}
