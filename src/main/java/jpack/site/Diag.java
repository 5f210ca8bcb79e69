package jpack.site;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jpack's own diagnostics, for a user asking why: what it probed, why it runs P tasks at once,
 * where the deadline came from. They go through slf4j-simple to stderr only when asked (--debug,
 * or JPACK_LOG=debug in the environment); otherwise no slf4j class is loaded, so a plain start
 * costs nothing. Callers test {@link #on()} before building a message.
 */
public final class Diag {
  private static volatile boolean on = asked(System.getenv("JPACK_LOG"));

  private Diag() {}

  static boolean asked(String value) {
    return value != null && (value.equalsIgnoreCase("debug") || value.equalsIgnoreCase("trace"));
  }

  /** Turns the diagnostics on (--debug). */
  public static void enable() {
    on = true;
  }

  public static boolean on() {
    return on;
  }

  /** One diagnostic line from the class where. */
  public static void log(Class<?> where, String message) {
    if (on) {
      Loggers.of(where).debug(message);
    }
  }

  /** Holds slf4j: loaded, and configured before its first logger, only when a line is logged. */
  private static final class Loggers {
    static {
      setDefault("org.slf4j.simpleLogger.defaultLogLevel", "debug");
      setDefault("org.slf4j.simpleLogger.logFile", "System.err");
      setDefault("org.slf4j.simpleLogger.showThreadName", "false");
      setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
      setDefault("org.slf4j.simpleLogger.showDateTime", "true"); // ms since the first line
    }

    private static void setDefault(String key, String value) {
      if (System.getProperty(key) == null) {
        System.setProperty(key, value);
      }
    }

    static Logger of(Class<?> where) {
      return LoggerFactory.getLogger(where);
    }
  }
}
