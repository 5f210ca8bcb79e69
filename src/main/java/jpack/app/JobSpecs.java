package jpack.app;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jpack.command.RemoteCommand;
import jpack.config.Allocation;
import jpack.config.Host;
import jpack.config.Resources;
import jpack.config.RunConfig;
import jpack.exec.LaunchException;
import jpack.exec.Spawner;
import jpack.exec.SshMasters;
import jpack.output.Spool;

/**
 * A task's environment and, on another host, its launcher's command line: JPACK_SEQ, JPACK_SLOT,
 * JPACK_LINE, the slot variable, the shard, OMP_NUM_THREADS and the task's own GPUs; for a
 * remote task the --env variables and jpack's JPACK_* ones too; where its output goes. Made
 * before the task starts, whatever starts it.
 */
final class JobSpecs {
  private final RunConfig cfg;
  /** With --hosts: the slots on each host; null when tasks run here only. */
  private final HostSlots hosts;
  private final Allocation allocation;
  /** Grouped output's files, or null. */
  private final Spool spool;
  /** ssh's shared connections, or null. */
  private final SshMasters masters;
  /** The last --wd directory made (or found), or null. */
  private Path lastDir;
  /** jpack's own JPACK_* variables, for remote tasks (made at the first). */
  private Map<String, String> jpackEnv;

  JobSpecs(RunConfig cfg, HostSlots hosts, Allocation allocation, Spool spool,
      SshMasters masters) {
    this.cfg = cfg;
    this.hosts = hosts;
    this.allocation = allocation;
    this.spool = spool;
    this.masters = masters;
  }

  /** What starts the task: its command line (through its launcher on another host), its
   *  environment (env, JPACK_HOST added for a remote one) and where its output goes. */
  Spawner.JobSpec spec(Task t, Map<String, String> env, Path dir) throws IOException {
    Redirect out;
    Redirect err;
    switch (cfg.output()) {
      case GROUP:
        out = spool.stdoutOf(t.spoolSlot);
        err = spool.stderrOf(t.spoolSlot);
        break;
      case LINE:
        out = Redirect.PIPE;
        err = Redirect.PIPE;
        break;
      default:
        out = Redirect.INHERIT;
        err = Redirect.INHERIT;
    }
    List<String> command = t.host < 0 ? t.argv()
        : remote(t.argv(), env, t.host, masters, dir);
    return new Spawner.JobSpec(t.slot, command, env, out, err, t.host >= 0, dir);
  }

  /**
   * --wd: the task's working directory (its template on the task's values, relative to jpack's
   * directory), made with its parents when missing, as GNU parallel does; null without --wd.
   */
  Path workDir(Task t) throws LaunchException {
    if (cfg.workDir() == null) {
      return null;
    }
    String name = t.ready.command().expand(cfg.workDir(), t.seq(), t.slot);
    Path dir;
    try {
      dir = Path.of(System.getProperty("user.dir")).resolve(name);
    } catch (InvalidPathException e) {
      throw new LaunchException(LaunchException.Kind.CANNOT_RUN, "--wd '" + name + "': "
          + e.getMessage(), e);
    }
    if (!dir.equals(lastDir)) { // a run in one directory asks once
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new LaunchException(LaunchException.Kind.CANNOT_RUN, "cannot make the working"
            + " directory '" + name + "' (--wd): " + IoErrors.reason(e, dir), e);
      }
      lastDir = dir;
    }
    return dir;
  }

  /** The command line that runs argv on its host (JPACK_HOST goes into env). */
  private List<String> remote(List<String> argv, Map<String, String> env, int hostIndex,
      SshMasters masters, Path dir) {
    Host host = hosts.host(hostIndex);
    env.put("JPACK_HOST", host.name());
    return RemoteCommand.argv(cfg.hosts(), host, argv, remoteEnv(env),
        dir != null ? dir.toString() : System.getProperty("user.dir"),
        Math.max(1, cfg.policy().termGrace().toSeconds()),
        cfg.resources().cpusPerTask(), masters == null ? List.of() : masters.options(host.name()));
  }

  /**
   * What a remote task gets: its own variables, the --env ones and every JPACK_* variable jpack
   * has but the run's mark (JPACK_RUN names processes on this node; the remote side stops by its
   * own watch).
   */
  private Map<String, String> remoteEnv(Map<String, String> taskEnv) {
    if (jpackEnv == null) {
      jpackEnv = new HashMap<>();
      System.getenv().forEach((k, v) -> {
        if (k.startsWith("JPACK_") && !k.equals("JPACK_RUN")) {
          jpackEnv.put(k, v);
        }
      });
      for (String name : cfg.hosts().env()) {
        String v = System.getenv(name);
        if (v != null) {
          jpackEnv.put(name, v);
        }
      }
    }
    Map<String, String> env = new HashMap<>(jpackEnv);
    env.putAll(taskEnv);
    return env;
  }

  /** JPACK_SEQ and JPACK_SLOT, the slot variable, OMP_NUM_THREADS and the task's own GPUs. */
  Map<String, String> env(long seq, long line, int globalSlot) {
    int slot = hosts == null ? globalSlot : hosts.localSlot(globalSlot);
    Map<String, String> env = new HashMap<>(8);
    env.put("JPACK_SEQ", Long.toString(seq));
    env.put("JPACK_SLOT", Integer.toString(slot));
    if (line > 0) {
      env.put("JPACK_LINE", Long.toString(line)); // --commands: the task file's line
    }
    if (cfg.processSlotVar() != null) {
      env.put(cfg.processSlotVar(), Integer.toString(slot));
    }
    Resources res = cfg.resources();
    env.putAll(res.shardEnv());
    if (res.cpusPerTask() > 1) {
      env.put("OMP_NUM_THREADS", Integer.toString(res.cpusPerTask()));
    }
    if (res.gpusPerTask() > 0) {
      int n = res.gpusPerTask();
      List<String> mine = allocation.gpus().subList(slot * n, slot * n + n);
      String devices = String.join(",", mine);
      env.put("CUDA_VISIBLE_DEVICES", devices);
      env.put("ROCR_VISIBLE_DEVICES", devices);
      env.put("HIP_VISIBLE_DEVICES", devices);
    }
    return env;
  }
}
