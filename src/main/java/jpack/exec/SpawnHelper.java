package jpack.exec;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Starts local tasks through jpack-spawn, a small C program beside jpack's jar (src/main/c): it
 * forks and execs each task as GNU xargs does and reports its start and end over a Unix socket.
 * A slot's next task may wait in the helper and start the moment the slot's task ends, with no
 * round trip through the JVM. A JVM pays more per process start (its vfork runs in a big process,
 * and each start and end wakes several threads), so this is how jpack gets below xargs' cost per
 * task. Tasks are children of the helper, which reaps them with wait4(2): their ends carry the
 * exact wait status and the task's {@link Usage} (peak memory, CPU time). The messages are
 * {@link SpawnProtocol}'s. Without the helper (no C compiler at build time,
 * JPACK_SPAWN_HELPER=off) jpack uses ProcessBuilder, and usage is not known.
 */
public final class SpawnHelper implements Spawner {
  /** The grace the helper gives leftovers without the run's mark when jpack's is not given. */
  static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  /** The environment variable that turns the helper off ("off") or names its binary. */
  public static final String ENV = "JPACK_SPAWN_HELPER";

  private final Process helper;
  private final SocketChannel channel;
  private final ConcurrentHashMap<Long, Spawned> live = new ConcurrentHashMap<>();
  private final Consumer<String> warn;
  /** Requests not sent yet. */
  private final SpawnProtocol.Requests requests = new SpawnProtocol.Requests();
  private long nextId;
  private volatile boolean broken;
  private volatile boolean closing;

  private SpawnHelper(Process helper, SocketChannel channel, Consumer<String> warn) {
    this.helper = helper;
    this.channel = channel;
    this.warn = warn;
    Thread reader = new Thread(this::readEvents, "jpack-spawn-events");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The helper binary: JPACK_SPAWN_HELPER when it names one, else jpack-spawn beside jpack's jar;
   * null when turned off or missing.
   */
  public static Path binary(Map<String, String> env, String classPath) {
    String chosen = env.get(ENV);
    if (chosen != null && !chosen.isEmpty()) {
      if (chosen.equals("off") || chosen.equals("0") || chosen.equals("no")) {
        return null;
      }
      Path p = Path.of(chosen);
      return Files.isExecutable(p) ? p : null;
    }
    if (classPath == null || classPath.isEmpty() || classPath.indexOf(File.pathSeparatorChar) >= 0
        || !classPath.endsWith(".jar")) {
      return null;
    }
    Path beside = Path.of(classPath).toAbsolutePath().resolveSibling("jpack-spawn");
    return Files.isExecutable(beside) ? beside : null;
  }

  /**
   * Starts the helper with stdin as the tasks' stdin (stdout and stderr are jpack's); the socket
   * lives in a private directory under parent only until the helper has connected. Returns null
   * when it cannot be started (the reason goes to warn only with --debug-like callers).
   */
  public static SpawnHelper start(Path binary, Path parent, Redirect stdin, Consumer<String> warn)
      throws IOException {
    return start(binary, parent, stdin, DEFAULT_GRACE, warn, Map.of());
  }

  /**
   * As above; grace: between TERM and KILL for what the tasks leave without the run's mark,
   * should jpack be killed (jpack's --term-grace).
   */
  public static SpawnHelper start(Path binary, Path parent, Redirect stdin, Duration grace,
      Consumer<String> warn) throws IOException {
    return start(binary, parent, stdin, grace, warn, Map.of());
  }

  /** As above, the variables set in the helper (its own PATH search too, for tests). */
  static SpawnHelper start(Path binary, Path parent, Redirect stdin, Duration grace,
      Consumer<String> warn, Map<String, String> vars) throws IOException {
    Path dir = PrivateDirs.create(parent, "jpack-spawn-");
    Path socket = dir.resolve("s");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-g",
          String.valueOf(grace.toMillis() / 1000.0), socket.toString())
          .redirectInput(stdin).redirectOutput(Redirect.INHERIT).redirectError(Redirect.INHERIT);
      // The helper passes JPACK_RUN on to the tasks but has none in its own environment, so
      // the watchdog's last sweep never waits for it.
      String mark = pb.environment().remove("JPACK_RUN");
      if (mark != null) {
        pb.command().add("JPACK_RUN=" + mark);
      }
      vars.forEach((k, v) -> pb.command().add(k + "=" + v));
      Process p = pb.start();
      // A helper that dies first (built for another system, say) must not leave accept waiting.
      p.onExit().thenRun(() -> closeQuietly(server));
      SocketChannel ch = null;
      try {
        ch = server.accept();
        SpawnProtocol.checkVersion(ch);
        return new SpawnHelper(p, ch, warn);
      } catch (IOException | RuntimeException e) {
        closeQuietly(ch);
        p.destroyForcibly();
        throw e;
      }
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  /** Whether the helper still takes tasks (it has not died). */
  public boolean alive() {
    return !broken;
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // closing: nothing to tell
    }
  }

  /**
   * Starts a task on the slot, or queues it to start when the slot's task (started here) ends:
   * argv with env added to jpack's environment, stdout and stderr INHERIT or appended to a file.
   * Returns its process at once (events tell the rest), or null when the helper cannot take it
   * (then ProcessBuilder must). The request goes at the next {@link #flush}, so that several go
   * to the helper at once.
   */
  @Override
  public Job start(JobSpec spec, Listener listener) {
    return spec.remote() ? null
        : spawn(spec.slot(), spec.argv(), spec.env(), spec.out(), spec.err(),
            spec.dir() == null ? "" : spec.dir().toString(), listener);
  }

  /** As {@link #start}, by its parts, in jpack's directory. */
  public Job spawn(int slot, List<String> argv, Map<String, String> env, Redirect out,
      Redirect err, Listener events) {
    return spawn(slot, argv, env, out, err, "", events);
  }

  /** As {@link #start}, by its parts; dir: the task's directory, or "" for jpack's. */
  public synchronized Job spawn(int slot, List<String> argv, Map<String, String> env,
      Redirect out, Redirect err, String dir, Listener events) {
    String o = pathOf(out);
    String e = pathOf(err);
    if (broken || o == null || e == null) {
      return null;
    }
    long id = ++nextId;
    Spawned s = new Spawned(id, argv.get(0), events);
    requests.start(id, slot, o, e, dir, argv, env);
    live.put(id, s);
    return s;
  }

  /** Sends the requests made since the last time. */
  @Override
  public synchronized void flush() {
    if (!requests.isEmpty()) {
      send();
    }
  }

  private static String pathOf(Redirect r) {
    if (r == Redirect.INHERIT) {
      return "";
    }
    return r.type() == Redirect.Type.APPEND ? r.file().getPath() : null;
  }

  private synchronized void signal(long id, int signal) {
    if (broken) {
      return;
    }
    requests.signal(id, signal);
    send();
  }

  /**
   * Lets tasks start again: after a task failed (exited non-zero or was killed), the helper
   * starts none until jpack has seen that end, which may stop the run.
   */
  public synchronized void release() {
    if (broken) {
      return;
    }
    requests.release();
    send();
  }

  /**
   * Takes back a task of spawn's that still waits for its slot (it is then dropped); one that
   * has started goes on.
   */
  public synchronized void recall(Job task) {
    if (broken || !(task instanceof Spawned s) || s.owner() != this) {
      return;
    }
    requests.recall(s.id);
    send();
  }

  /** Writes the requests put since the last time. */
  private void send() {
    try {
      requests.writeTo(channel);
    } catch (IOException ex) {
      broken = true;
    }
  }

  /** The reader thread: the helper's events, then (the helper gone) what becomes of the rest. */
  private void readEvents() {
    try {
      SpawnProtocol.readEvents(channel, this::event);
    } catch (IOException e) {
      // the helper is gone: as below
    }
    broken = true;
    int running = 0;
    for (Spawned s : live.values()) {
      if (s.pid > 0) {
        running++;
      }
    }
    if (running > 0 && !closing) {
      warn.accept("jpack: the spawn helper (jpack-spawn) ended unexpectedly: its " + running
          + " running task" + (running == 1 ? " was" : "s were") + " stopped and will run again;"
          + " tasks start through the JVM from now on");
    }
    // Its tasks live on as orphans: the started ones are killed (their end was never seen, so
    // they run again), the waiting ones go back to jpack's queue.
    for (Spawned s : live.values()) {
      if (s.pid > 0) {
        ProcessHandle.of(s.pid).ifPresent(h -> new ProcessTree(h).kill());
        s.events.lost();
      } else {
        s.events.dropped();
      }
    }
    live.clear();
  }

  private void event(SpawnProtocol.Event e) {
    Spawned s = live.get(e.id());
    if (s == null) {
      return;
    }
    if (e instanceof SpawnProtocol.Started p) {
      s.started(p.pid(), p.nanos());
      return;
    }
    live.remove(e.id());
    if (e instanceof SpawnProtocol.Ended x) {
      s.ended(x.exit(), x.nanos(), x.leftProcesses());
    } else if (e instanceof SpawnProtocol.Failed f) {
      s.failed(f.errno(), f.text());
    } else {
      s.events.dropped();
    }
  }

  /** The helper's own process (for tests). */
  Process process() {
    return helper;
  }

  /**
   * Ends the helper: tells it this is a normal end ("E"; it then gives what the tasks left
   * behind without the run's mark TERM and, a second later, KILL) and closes its socket. It
   * exits at once when it has no children; waits a little for that: a JVM that still waits for
   * a child at System.exit takes 10 ms and more to exit.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (!broken) {
        requests.end();
        send();
      }
    }
    closing = true;
    try {
      channel.close();
      helper.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      helper.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A task started by the helper. */
  private final class Spawned implements Job {
    private final long id;
    private final String program;
    private final Listener events;
    private volatile long pid;
    private volatile boolean ended;
    private volatile boolean failedEnd;
    private ProcessTree tree;

    Spawned(long id, String program, Listener events) {
      this.id = id;
      this.program = program;
      this.events = events;
    }

    void started(long pid, long nanos) {
      this.pid = pid;
      events.started(nanos);
    }

    void failed(int errno, String text) {
      failedEnd = true; // the helper holds later starts until jpack has seen this
      ended = true;
      events.failed(Launcher.translate(program, new IOException("Cannot run program \""
          + program + "\": error=" + errno + ", " + text)));
    }

    /** Its end, from the wait status (exact: a task that exits 137 did not die of KILL) with
     *  its usage; left: processes it started outlived it (the helper, their subreaper, saw them). */
    void ended(ExitInfo exit, long nanos, boolean left) {
      failedEnd = !exit.success();
      ended = true;
      events.ended(exit, nanos, left);
    }

    @Override
    public void accounted() {
      if (failedEnd) {
        failedEnd = false;
        release();
      }
    }

    SpawnHelper owner() {
      return SpawnHelper.this;
    }

    /** The pid, or -1 while it has not started (it may wait for its slot). */
    @Override
    public long pid() {
      return pid > 0 ? pid : -1;
    }

    @Override
    public boolean alive() {
      return !ended;
    }

    @Override
    public boolean waiting() {
      return pid <= 0 && !ended;
    }

    /** The running task's tree; null while it waits (or once it ended). */
    private ProcessTree tree() {
      long p = pid;
      if (tree == null && p > 0 && !ended) {
        tree = ProcessHandle.of(p).map(ProcessTree::new).orElse(null);
      }
      return tree;
    }

    @Override
    public synchronized void term() {
      ProcessTree t = tree();
      if (t != null) {
        t.term();
      } else if (!ended) {
        signal(id, 15); // not started yet: dropped there
      }
    }

    @Override
    public synchronized void kill() {
      ProcessTree t = tree();
      if (t != null) {
        t.kill();
      } else if (!ended) {
        signal(id, 9);
      }
    }

    @Override
    public void recall() {
      SpawnHelper.this.recall(this);
    }
  }
}
