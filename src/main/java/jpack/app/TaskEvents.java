package jpack.app;

import jpack.app.Event.Dropped;
import jpack.app.Event.Ended;
import jpack.app.Event.LaunchFailed;
import jpack.app.Event.Launched;
import jpack.app.Event.Lost;
import jpack.exec.ExitInfo;
import jpack.exec.LaunchException;
import jpack.exec.Spawner;
import java.util.Queue;

/**
 * What a spawner tells of one task, turned into events for the loop. Runs on the spawner's
 * threads: it only sets the task's facts its starter knows, then adds the event.
 */
final class TaskEvents implements Spawner.Listener {
  private final Task task;
  private final Queue<Event> events;
  /** The loop must see the start: a time limit runs from it, or --line-buffer's pumps start. */
  private final boolean tellStart;

  TaskEvents(Task task, Queue<Event> events, boolean tellStart) {
    this.task = task;
    this.events = events;
    this.tellStart = tellStart;
  }

  @Override
  public void started(long nanos) {
    task.startNanos = nanos; // read after the task's Ended (a volatile write before it)
    task.startMillis = System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000;
    if (tellStart || !task.viaHelper) {
      events.add(new Launched(task));
    }
  }

  @Override
  public void ended(ExitInfo exit, long nanos, boolean leftProcesses) {
    task.exit = exit;
    task.leftProcesses = leftProcesses;
    events.add(new Ended(task, nanos));
  }

  @Override
  public void failed(LaunchException e) {
    events.add(new LaunchFailed(task, e));
  }

  @Override
  public void dropped() {
    events.add(new Dropped(task));
  }

  @Override
  public void lost() {
    events.add(new Lost(task));
  }
}
