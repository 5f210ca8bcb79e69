package jpack.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A worker process that stays running and does one task per line (--worker): jpack writes the
 * task's input line to its stdin; the worker writes the task's output to its stdout and ends it
 * with a line of its own: a NUL byte, then the task's exit status in decimal, then a newline
 * ({@code printf '\0%d\n' $?} in sh, {@code print(f"\0{status}")} in Python). Its stderr goes
 * straight to jpack's. One reader thread per worker splits the stdout into tasks, writing each
 * task's output to the sink given with it (a spool file: memory stays flat whatever the tasks
 * print); output between tasks has no sink and is dropped.
 */
public final class Worker {
  /** Hears from the reader thread. */
  public interface Listener {
    /** The current task ended with this status (its output is in its sink). */
    void done(int status);

    /** The worker ended (exit value as the JDK reports it) in the middle of a task, or idle. */
    void died(int exitValue);
  }

  private final Process process;
  private final OutputStream in;
  private volatile boolean dead;
  private volatile OutputStream sink;

  private Worker(Process process) {
    this.process = process;
    this.in = process.getOutputStream();
  }

  /** Starts argv with env added to jpack's environment; its reader thread reports to listener. */
  public static Worker start(List<String> argv, Map<String, String> env, Listener listener)
      throws LaunchException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(Redirect.PIPE)
        .redirectOutput(Redirect.PIPE).redirectError(Redirect.INHERIT);
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw Launcher.translate(argv.get(0), e);
    }
    Worker w = new Worker(p);
    Thread reader = new Thread(() -> w.read(listener), "jpack-worker-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    return w;
  }

  public Process process() {
    return process;
  }

  /** Whether the worker has ended (its reader saw the end of its output). */
  public boolean dead() {
    return dead;
  }

  /**
   * Hands the worker its next task's line; the task's output goes to sink (which the caller
   * closes). False when the worker is gone.
   */
  public boolean send(String line, OutputStream sink) {
    this.sink = sink;
    try {
      in.write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
      in.flush();
      return true;
    } catch (IOException e) {
      return false; // it died: the reader reports it
    }
  }

  /** No more tasks: the worker sees the end of its input and should exit. */
  public void finish() {
    try {
      in.close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** What done gets for an end line that is not a NUL, a status 0..255 and a newline. */
  public static final int BAD_END = -1;

  private void read(Listener listener) {
    byte[] buf = new byte[64 * 1024];
    InputStream out = process.getInputStream();
    boolean atLineStart = true;
    int status = -1; // >= 0 while reading the digits of an end line
    int digits = 0;
    boolean bad = false;
    try {
      for (int n; (n = out.read(buf)) > 0; ) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (status >= 0) {
            if (b == '\n') {
              sink = null;
              listener.done(bad || digits == 0 ? BAD_END : status);
              status = -1;
              atLineStart = true;
              from = i + 1;
            } else if (b >= '0' && b <= '9' && ++digits <= 3) {
              status = status * 10 + (b - '0');
              bad |= status > 255;
            } else {
              bad = true; // not a status 0..255: the worker and jpack no longer agree
            }
            continue;
          }
          if (atLineStart && b == 0) {
            write(buf, from, i - from);
            status = 0;
            digits = 0;
            bad = false;
            continue;
          }
          atLineStart = b == '\n';
        }
        if (status < 0) {
          write(buf, from, n - from);
        }
      }
    } catch (IOException e) {
      // the pipe broke: the worker is gone, as below
    }
    int exit;
    while (true) {
      try {
        exit = process.waitFor();
        break;
      } catch (InterruptedException e) {
        // a daemon thread nobody interrupts on purpose: wait on
      }
    }
    dead = true;
    listener.died(exit);
  }

  /** Task output to the current task's sink; a failed write (a full disk) loses that output,
   *  as a task's own write would, and the spool check reports the full disk. */
  private void write(byte[] b, int off, int len) {
    OutputStream s = sink;
    if (s != null && len > 0) {
      try {
        s.write(b, off, len);
      } catch (IOException e) {
        sink = null;
      }
    }
  }
}
