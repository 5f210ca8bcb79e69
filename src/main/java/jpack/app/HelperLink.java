package jpack.app;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import jpack.exec.SpawnHelper;

/**
 * jpack-spawn as the event loop sees it: started in the background on a thread of its own
 * (tasks start with ProcessBuilder meanwhile), there once it answered (or never, when it could
 * not start: ProcessBuilder goes on), and closed at the end of the run, also when it is still
 * starting then.
 */
final class HelperLink {
  private SpawnHelper helper;
  private boolean closed;
  private volatile Thread starting;

  /** Starts the helper, found at binary, in the background (once). */
  void start(Path binary, Path socketDir, Redirect childStdin, Consumer<String> warn) {
    start(binary, socketDir, childStdin, null, warn);
  }

  /**
   * As above; termGrace (jpack's --term-grace; null: the helper's default) is what the helper
   * gives leftovers without the run's mark between TERM and KILL should jpack be killed.
   */
  void start(Path binary, Path socketDir, Redirect childStdin, Duration termGrace,
      Consumer<String> warn) {
    Thread th = new Thread(() -> {
      SpawnHelper h;
      try {
        h = termGrace == null ? SpawnHelper.start(binary, socketDir, childStdin, warn)
            : SpawnHelper.start(binary, socketDir, childStdin, termGrace, warn);
      } catch (IOException | RuntimeException e) {
        return; // ProcessBuilder goes on starting the tasks
      }
      synchronized (this) {
        if (closed) {
          h.close();
        } else {
          helper = h;
        }
      }
    }, "jpack-spawn-start");
    th.setDaemon(true);
    th.start();
    starting = th;
  }

  /**
   * The helper, waiting up to wait for one still starting (so that the first tasks of a run
   * start through it too: their end exactly known, their usage measured); null when it could
   * not start, died, or was not asked for.
   */
  SpawnHelper await(Duration wait) {
    Thread th = starting;
    if (th != null && th.isAlive()) {
      try {
        th.join(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return get();
  }

  /** The helper, or null while it starts (or when it could not, or it died). */
  synchronized SpawnHelper get() {
    return helper != null && helper.alive() ? helper : null;
  }

  /** Sends the requests written since the last flush. */
  void flush() {
    SpawnHelper h = get();
    if (h != null) {
      h.flush();
    }
  }

  /** Closes the helper; waits up to 2 s for one still starting. */
  void close() {
    Thread th = starting;
    if (th != null) {
      try {
        th.join(2000); // started by now, or given up
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      closed = true;
      if (helper != null) {
        helper.close();
      }
    }
  }
}
