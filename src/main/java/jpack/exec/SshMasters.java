package jpack.exec;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One ssh connection per host, shared by all the tasks that run there (OpenSSH's connection
 * multiplexing): a master {@code ssh -N} per host, started at the host's first task, and the
 * tasks' ssh clients join it through a control socket in a private directory. A task's ssh then
 * costs a new session on an open connection instead of a key exchange (tens of milliseconds of
 * CPU each). Until its master is up, or when it cannot start (multiplexing disabled, host
 * down), a task's ssh simply connects by itself. The masters end with jpack.
 */
public final class SshMasters implements AutoCloseable {
  private final List<String> ssh;
  private final Path dir;
  private final Map<String, Process> masters = new HashMap<>();
  private final Map<String, String> paths = new HashMap<>();

  private SshMasters(List<String> ssh, Path dir) {
    this.ssh = ssh;
    this.dir = dir;
  }

  /**
   * Masters started with the words of ssh (the launcher before the host), control sockets in a
   * new directory under parent (under /tmp when parent is too deep for a socket path); null
   * when no directory can be made.
   */
  public static SshMasters create(List<String> ssh, Path parent) {
    Path d;
    try {
      d = PrivateDirs.create(parent, "jpack-ssh-");
    } catch (IOException e) {
      return null;
    }
    return new SshMasters(List.copyOf(ssh), d);
  }

  /** The private directory of the control sockets. */
  public Path directory() {
    return dir;
  }

  /** The options a task's ssh needs to join the host's master (started here if need be). */
  public synchronized List<String> options(String host) {
    String path = paths.get(host);
    if (path == null) {
      path = dir.resolve("h" + paths.size()).toString();
      paths.put(host, path);
      List<String> argv = new ArrayList<>(ssh);
      argv.addAll(List.of("-o", "ControlMaster=yes", "-o", "ControlPersist=no", "-o",
          "ControlPath=" + path, "-N", "--", host));
      Process p = null;
      try {
        p = new ProcessBuilder(argv).redirectInput(Redirect.from(new File("/dev/null")))
            .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start();
      } catch (IOException e) {
        // no master: the tasks connect by themselves
      }
      masters.put(host, p);
    }
    return List.of("-o", "ControlMaster=no", "-o", "ControlPath=" + path);
  }

  /** Ends the masters (their sessions are over) and removes the sockets' directory. */
  @Override
  public synchronized void close() {
    for (Process p : masters.values()) {
      if (p != null) {
        p.destroy();
      }
    }
    for (Process p : masters.values()) {
      try {
        if (p != null) {
          p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a socket left in a private temporary directory: harmless
    }
  }
}
