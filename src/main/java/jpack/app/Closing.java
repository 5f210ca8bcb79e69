package jpack.app;

import java.util.ArrayList;
import java.util.List;

/**
 * Closes what a run opened, each step on its own: one that throws (a spool file that cannot be
 * deleted, a job log on a failing disk) does not skip the others — the job log, jpack-spawn, the
 * workers and the watchdog still close. The first failure is thrown once all have run.
 */
final class Closing {
  /** One thing to close. */
  interface Step {
    void run() throws Exception;
  }

  private final List<Step> steps = new ArrayList<>();

  /** Adds a step; steps run in the order added. */
  Closing then(Step step) {
    steps.add(step);
    return this;
  }

  /** Adds a step that closes c, when there is one (null: what the run never opened). */
  Closing thenClose(AutoCloseable c) {
    return c == null ? this : then(c::close);
  }

  /** Runs every step; then throws the first failure (an IOException or unchecked as it was). */
  void run() throws java.io.IOException {
    Throwable first = null;
    for (Step s : steps) {
      try {
        s.run();
      } catch (Exception | Error e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof java.io.IOException io) {
      throw io;
    }
    if (first instanceof RuntimeException re) {
      throw re;
    }
    if (first instanceof Error err) {
      throw err;
    }
    if (first != null) {
      throw new java.io.IOException(first.getMessage(), first);
    }
  }
}
