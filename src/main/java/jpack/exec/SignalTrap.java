package jpack.exec;

import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * Catches SIGTERM, SIGINT and SIGHUP (the batch system's walltime warning, Ctrl-C, a lost login)
 * and hands the signal number to the run instead of letting the JVM exit at once. SIGUSR1 and
 * SIGUSR2, which would kill the JVM (their default action; the launcher moves HotSpot's own use
 * of USR2 to a real-time signal), are caught too: GNU xargs takes them as one more or one fewer
 * parallel task, and they go to onParallelism as +1 and -1 (a run that does not act on them
 * ignores them). SIGQUIT stays the JVM's: a thread dump, on stderr (see the launcher).
 */
public final class SignalTrap {
  private SignalTrap() {}

  /** The stop signals to onSignal; USR1 and USR2 caught and ignored. */
  public static void install(IntConsumer onSignal) {
    install(onSignal, delta -> { });
  }

  /** The stop signals to onStop; USR1 to onParallelism as +1, USR2 as -1. */
  public static void install(IntConsumer onStop, IntConsumer onParallelism) {
    for (String name : new String[] {"TERM", "INT", "HUP"}) {
      handle(name, s -> onStop.accept(s.getNumber()));
    }
    handle("USR1", s -> onParallelism.accept(1));
    if (suspendSignalMoved(System.getenv("_JAVA_SR_SIGNUM"))) {
      // Only when HotSpot suspends threads with another signal (the launcher sees to it): the
      // JVM lets USR2 be taken even when it is its own, and would then wait for a thread that
      // never answers the next time it suspends one.
      handle("USR2", s -> onParallelism.accept(-1));
    }
  }

  /** Whether HotSpot takes this _JAVA_SR_SIGNUM (it must be above SIGSEGV and below NSIG). */
  static boolean suspendSignalMoved(String value) {
    try {
      int n = Integer.parseInt(value == null ? "" : value.trim());
      return n > 12 && n < 65;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void handle(String name, sun.misc.SignalHandler handler) {
    try {
      Signal.handle(new Signal(name), handler);
    } catch (IllegalArgumentException e) {
      // the JVM keeps this one for itself (e.g. -Xrs): leave its default behaviour
    }
  }
}
