package jpack.app;

import java.util.List;
import jpack.command.Command;
import jpack.exec.LaunchException;

/**
 * What the event loop reacts to: a command is ready, a task started, ended or could not start,
 * the input ended, a signal came, a time limit passed. Other threads (the reader, the spawners,
 * jpack-spawn's reader, timers, signal handlers) post them; only the event loop handles them.
 */
sealed interface Event {
  /**
   * A command ready to run. lost counts the launches that failed on a host (ssh exit 255); they
   * are not attempts of the task. lostOn is the host its last launch or attempt failed on, which
   * it avoids while another host is alive (-1: none).
   */
  record Ready(long seq, Command command, int attempt, int lost, int lostOn, long line)
      implements Event {
    Ready(long seq, Command command, int attempt) {
      this(seq, command, attempt, 0, -1, 0);
    }

    /** The same command again: another attempt, or another launch after a lost one. */
    Ready again(int attempt, int lost, int lostOn) {
      return new Ready(seq, command, attempt, lost, lostOn, line);
    }

    List<String> argv() {
      return command.argv();
    }
  }

  /**
   * The task's process started (on a spawner thread; or in jpack-spawn, told only when a time
   * limit must run from now: its start time is set on the helper's reader thread).
   */
  record Launched(Task task) implements Event {}

  record LaunchFailed(Task task, LaunchException error) implements Event {}

  /** The task's process ended, at nanos when jpack-spawn tells (-1: now). */
  record Ended(Task task, long nanos) implements Event {}

  /** A task that waited in jpack-spawn for its slot was taken back before it started. */
  record Dropped(Task task) implements Event {}

  /** A task jpack-spawn ran when it died: killed there, its end unseen; it runs again. */
  record Lost(Task task) implements Event {}

  /** A --worker task ended (status from the worker's end line), or its worker died (died). */
  record WorkerEnded(Task task, int status, boolean died)
      implements Event {}

  /** The input is exhausted; error is the message that stopped it early, or null. */
  record InputEnd(String error) implements Event {}

  /** A stop signal (TERM, INT) came to jpack. */
  record Signalled(int signal) implements Event {}

  /** SIGHUP: start nothing more, let the running tasks finish, then exit 75. */
  record Drain() implements Event {}

  /** SIGUSR1 (+1) or SIGUSR2 (-1): one more or one fewer task at once, as in GNU xargs. */
  record Parallelism(int delta) implements Event {}

  /** Time to look whether tasks still end (the stall warning). */
  record StallCheck() implements Event {}

  record TimeUp(Task task) implements Event {}

  /** A task that died of a stop signal has waited long enough: jpack was not stopped with it. */
  record Settle(Task task) implements Event {}

  /** KILL what is left of one task, or of every running task when task is null. */
  record Kill(Task task) implements Event {}

  record DeadlineStop() implements Event {}

  /** Time to report progress. */
  record Tick() implements Event {}
}
