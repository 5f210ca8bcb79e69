package jpack.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import jpack.exec.ExitInfo;
import jpack.exec.LaunchException;
import jpack.exec.Spawner;

/**
 * A spawner that starts no process: each start is recorded, and a script says what becomes of
 * it (an exit status, a death by signal, a failed launch, or a task that runs until jpack stops
 * it). Its listener is told at once, on the caller's thread, as a real starter would from its
 * own: the run sees the events in the same order.
 */
final class FakeSpawner implements Spawner {
  /** What becomes of one started task. */
  sealed interface Fate {}

  record Exits(int status) implements Fate {}

  record Dies(int signal) implements Fate {}

  record CannotStart(LaunchException.Kind kind) implements Fate {}

  /** Runs until TERM or KILL (then dies of it). */
  record Hangs() implements Fate {}

  /** The start of one task, as the run asked for it. */
  record Start(Spawner.JobSpec spec, long nanos) {
    String arg(int i) {
      return spec.argv().get(i);
    }

    String last() {
      return spec.argv().get(spec.argv().size() - 1);
    }
  }

  private final Function<JobSpec, Fate> script;
  private final List<Start> starts = new ArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private int mostAtOnce;

  FakeSpawner(Function<JobSpec, Fate> script) {
    this.script = script;
  }

  static Exits exits(int status) {
    return new Exits(status);
  }

  synchronized List<Start> starts() {
    return new ArrayList<>(starts);
  }

  /** The most tasks that were running at one moment. */
  synchronized int mostAtOnce() {
    return mostAtOnce;
  }

  @Override
  public Job start(JobSpec spec, Listener listener) {
    Fate fate = script.apply(spec);
    synchronized (this) {
      starts.add(new Start(spec, System.nanoTime()));
    }
    if (fate instanceof CannotStart c) {
      listener.failed(new LaunchException(c.kind(), spec.argv().get(0) + ": cannot start",
          null));
      return null;
    }
    FakeJob job = new FakeJob(listener);
    synchronized (this) {
      mostAtOnce = Math.max(mostAtOnce, running.incrementAndGet());
    }
    listener.started(System.nanoTime());
    if (fate instanceof Exits e) {
      job.end(ExitInfo.exited(e.status()));
    } else if (fate instanceof Dies d) {
      job.end(new ExitInfo(-1, d.signal()));
    }
    return job;
  }

  @Override
  public void close() {}

  private final class FakeJob implements Job {
    private final Listener listener;
    private boolean ended;

    FakeJob(Listener listener) {
      this.listener = listener;
    }

    synchronized void end(ExitInfo exit) {
      if (!ended) {
        ended = true;
        running.decrementAndGet();
        listener.ended(exit, System.nanoTime(), false);
      }
    }

    @Override
    public long pid() {
      return 0;
    }

    @Override
    public synchronized boolean alive() {
      return !ended;
    }

    @Override
    public void term() {
      end(new ExitInfo(-1, 15));
    }

    @Override
    public void kill() {
      end(new ExitInfo(-1, 9));
    }
  }
}
