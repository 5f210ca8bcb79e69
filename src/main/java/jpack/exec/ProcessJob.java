package jpack.exec;

import java.io.InputStream;
import java.io.OutputStream;

/** A task (or a --worker) that is a JDK {@link Process}: stopped through its process tree. */
public final class ProcessJob implements Spawner.Job {
  private volatile Process process;
  private ProcessTree tree;

  public ProcessJob() {}

  public ProcessJob(Process process) {
    this.process = process;
  }

  /** The process, once started (a spawner thread sets it). */
  void started(Process p) {
    process = p;
  }

  public Process process() {
    return process;
  }

  @Override
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  @Override
  public boolean alive() {
    Process p = process;
    return p == null || p.isAlive();
  }

  private ProcessTree tree() {
    Process p = process;
    if (tree == null && p != null) {
      tree = new ProcessTree(p.toHandle());
    }
    return tree;
  }

  @Override
  public synchronized void term() {
    ProcessTree t = tree();
    if (t != null) {
      t.term(); // one still being started is stopped as soon as it is (the app sees to it)
    }
  }

  @Override
  public synchronized void kill() {
    ProcessTree t = tree();
    if (t != null) {
      t.kill();
    }
  }

  @Override
  public InputStream stdout() {
    return process.getInputStream();
  }

  @Override
  public InputStream stderr() {
    return process.getErrorStream();
  }

  @Override
  public OutputStream stdin() {
    return process.getOutputStream();
  }
}
