package jpack.exec;

import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * Catches SIGTERM, SIGINT and SIGHUP (the batch system's walltime warning, Ctrl-C, a lost login)
 * and hands the signal number to the run instead of letting the JVM exit at once.
 */
public final class SignalTrap {
  private SignalTrap() {}

  public static void install(IntConsumer onSignal) {
    for (String name : new String[] {"TERM", "INT", "HUP"}) {
      try {
        Signal.handle(new Signal(name), s -> onSignal.accept(s.getNumber()));
      } catch (IllegalArgumentException e) {
        // the JVM keeps this one for itself (e.g. -Xrs): leave its default behaviour
      }
    }
  }
}
