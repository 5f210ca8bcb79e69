package jpack.exec;

import java.lang.ProcessBuilder.Redirect;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The portable path: ProcessBuilder, on up to two spawner threads (the JVM's vfork blocks the
 * calling thread until the child has exec'd, so two overlap two starts). A system out of processes
 * for now (EAGAIN) gets a few more tries. The JDK reports a death by signal n as 128+n, so the
 * exit status here is ambiguous from 129 to 192 ({@link ExitInfo#fromJdk}), and whether a task
 * left processes behind cannot be told, nor what it used (its usage is {@link Usage#UNKNOWN}).
 */
public final class JdkSpawner implements Spawner {
  private final Launcher local;
  private final Launcher remote;
  private final ExecutorService threads;

  /**
   * @param stdin what local tasks read
   * @param remoteStdin what remote launchers (ssh, srun) read: a pipe whose end tells them to stop
   * @param threads how many spawner threads (1 or 2)
   */
  public JdkSpawner(Redirect stdin, Redirect remoteStdin, int threads) {
    this.local = new Launcher(stdin, null);
    this.remote = remoteStdin == null ? null : new Launcher(remoteStdin, null);
    this.threads = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread th = new Thread(r, "jpack-spawner");
      th.setDaemon(true);
      return th;
    });
  }

  @Override
  public Job start(JobSpec spec, Listener listener) {
    ProcessJob job = new ProcessJob();
    threads.execute(() -> spawn(job, spec, listener));
    return job;
  }

  private void spawn(ProcessJob job, JobSpec spec, Listener listener) {
    Launcher launcher = spec.remote() ? remote : local;
    Process p;
    for (int attempt = 0; ; attempt++) {
      try {
        p = launcher.start(spec.argv(), spec.env(), spec.out(), spec.err(),
            spec.dir() == null ? null : spec.dir().toFile());
        break;
      } catch (LaunchException e) {
        if (e.kind() != LaunchException.Kind.RESOURCES || attempt >= 50) {
          listener.failed(e);
          return;
        }
        try {
          Thread.sleep(20L * (attempt + 1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          listener.failed(e);
          return;
        }
      }
    }
    job.started(p);
    listener.started(System.nanoTime());
    Process started = p;
    p.onExit().thenRun(() -> listener.ended(ExitInfo.fromJdk(started.exitValue()), -1, true));
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
