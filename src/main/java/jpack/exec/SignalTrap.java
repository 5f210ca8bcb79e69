package jpack.exec;

import sun.misc.Signal;

/**
 * Catches the signals a run acts on, one meaning each (README's signal table): SIGTERM and
 * SIGINT (the batch system's walltime warning or scancel, Ctrl-C) stop the run; SIGHUP drains
 * it, as GNU parallel does (start nothing more, let the running tasks finish); SIGUSR1 and
 * SIGUSR2 are one more or one fewer task at once, as in GNU xargs (their default action would
 * kill the JVM; the launcher moves HotSpot's own use of USR2 to a real-time signal). SIGQUIT
 * stays the JVM's: a thread dump, on stderr (see the launcher).
 */
public final class SignalTrap {
  private SignalTrap() {}

  /** What a run does on its signals. */
  public interface Handler {
    /** TERM (15) or INT (2). */
    void stop(int signal);

    /** HUP. */
    void drain();

    /** USR1 (+1) or USR2 (-1). */
    void parallelism(int delta);
  }

  public static void install(Handler h) {
    for (String name : new String[] {"TERM", "INT"}) {
      handle(name, s -> h.stop(s.getNumber()));
    }
    handle("HUP", s -> h.drain());
    handle("USR1", s -> h.parallelism(1));
    if (suspendSignalMoved(System.getenv("_JAVA_SR_SIGNUM"))) {
      // Only when HotSpot suspends threads with another signal (the launcher sees to it): the
      // JVM lets USR2 be taken even when it is its own, and would then wait for a thread that
      // never answers the next time it suspends one.
      handle("USR2", s -> h.parallelism(-1));
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
