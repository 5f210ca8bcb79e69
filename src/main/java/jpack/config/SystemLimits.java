package jpack.config;

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

  /**
   * The limits for a stack limit as /proc/self/limits gives it (bytes, or null for unlimited or
   * unknown) and an environment.
   */
  public static SystemLimits of(Long stackLimit, Map<String, String> env) {
    long argMax = stackLimit == null ? DEFAULT_ARG_MAX : Math.max(128L * 1024, stackLimit / 4);
    long envBytes = 0;
    for (Map.Entry<String, String> e : env.entrySet()) {
      envBytes += e.getKey().length() + e.getValue().length() + 2 + 8;
    }
    return new SystemLimits(argMax, envBytes);
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
