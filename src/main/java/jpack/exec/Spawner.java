package jpack.exec;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;
import java.util.Map;

/**
 * The one seam through which jpack starts a task, whatever starts it: ProcessBuilder (the portable
 * path, {@link JdkSpawner}) or jpack-spawn (the accelerator, {@link SpawnHelper}). A start returns
 * at once; what becomes of the task is told to its {@link Listener}, on the starter's thread.
 */
public interface Spawner extends AutoCloseable {
  /**
   * One task to start.
   *
   * @param slot the slot it runs in (jpack-spawn may queue it behind the slot's running task)
   * @param argv the program and its arguments (PATH search, never a shell)
   * @param env the variables it gets on top of jpack's environment
   * @param out where its stdout goes: INHERIT, a file appended to, or PIPE (JDK only)
   * @param err likewise its stderr
   * @param remote a launcher for another host (ssh, srun): its stdin is a pipe jpack keeps
   * @param dir its working directory (--wd), or null for jpack's
   */
  record JobSpec(int slot, List<String> argv, Map<String, String> env, Redirect out,
      Redirect err, boolean remote, java.nio.file.Path dir) {
    public JobSpec(int slot, List<String> argv, Map<String, String> env, Redirect out,
        Redirect err, boolean remote) {
      this(slot, argv, env, out, err, remote, null);
    }
  }

  /** What becomes of a task; each is told once, started before ended. */
  interface Listener {
    /** It runs, since nanos (System.nanoTime's clock). */
    void started(long nanos);

    /**
     * It ended at nanos (-1: now), how exactly as its starter knows, with what it used where
     * the starter knows that ({@link ExitInfo#usage}: jpack-spawn; else {@link Usage#UNKNOWN});
     * leftProcesses: processes it started outlived it (true where that cannot be told).
     */
    void ended(ExitInfo exit, long nanos, boolean leftProcesses);

    /** It could not be started; it never ends. */
    void failed(LaunchException e);

    /** It waited in the starter and was taken back (recalled, or stopped) before it started. */
    void dropped();

    /** The starter died while it ran: it was killed there, its end never seen; it did not finish. */
    void lost();
  }

  /** A task as the app holds it, however it was started. */
  interface Job {
    /** Its pid, or -1 while it waits to start. */
    long pid();

    /** Whether it has not ended yet (it may still be waiting to start). */
    boolean alive();

    /** TERM to its whole process tree; one that waits to start is dropped instead. */
    void term();

    /** KILL to its whole process tree (and what was seen of it before). */
    void kill();

    /** Takes it back if it still waits to start (it is then dropped); else nothing. */
    default void recall() {}

    /** Whether it waits in its starter for its slot, not started yet. */
    default boolean waiting() {
      return false;
    }

    /**
     * The app has accounted for its end (which may have stopped the run): a starter that holds
     * later starts after a failure until then (jpack-spawn) may go on.
     */
    default void accounted() {}

    /** With PIPE: its stdout, stderr and stdin; else empty streams. */
    default InputStream stdout() {
      return InputStream.nullInputStream();
    }

    default InputStream stderr() {
      return InputStream.nullInputStream();
    }

    default OutputStream stdin() {
      return OutputStream.nullOutputStream();
    }
  }

  /** Starts (or queues) the task; null when this spawner cannot take it (another must). */
  Job start(JobSpec spec, Listener listener);

  /** Sends what was asked since the last time (jpack-spawn batches its requests). */
  default void flush() {}

  @Override
  default void close() {}
}
