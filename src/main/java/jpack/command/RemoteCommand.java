package jpack.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jpack.config.Host;
import jpack.config.Hosts;

/**
 * The local command line that runs one task on another host. ssh, pbsdsh and templates get a
 * POSIX shell script as one word: it enters jpack's working directory, exports the task's
 * variables, runs the task with stdin from /dev/null and watches its own stdin (the launcher's
 * channel, which jpack holds open and never writes): when that ends because jpack or the
 * launcher died or jpack stopped the task, it sends TERM to the task's process group and KILL
 * after the grace time, so no remote task outlives its jpack. srun needs none of this: it passes
 * the environment and the directory itself and forwards signals to its step.
 */
public final class RemoteCommand {
  private RemoteCommand() {}

  /**
   * The launcher's words before the host when it is ssh (the keyword, or a template starting
   * with an ssh program), for connection sharing; null for srun, pbsdsh and other templates.
   */
  public static List<String> sshPrefix(Hosts hosts) {
    if (hosts.launch() == Hosts.Launch.SSH) {
      return List.of("ssh", "-o", "BatchMode=yes", "-x");
    }
    if (hosts.launch() == Hosts.Launch.TEMPLATE && !hosts.template().isEmpty()
        && hosts.template().get(0).matches("(.*/)?ssh")
        && hosts.template().stream().noneMatch(w -> w.contains("{host}"))) {
      return hosts.template();
    }
    return null;
  }

  /**
   * @param hosts the launcher
   * @param host where the task runs
   * @param argv the task's command line
   * @param env the variables the task gets on top of the remote login environment
   * @param dir jpack's working directory
   * @param graceSeconds seconds between TERM and KILL when the task is stopped
   * @param cpusPerTask CPUs each task gets (srun's --cpus-per-task)
   * @param sshOptions options put right after the ssh program (connection sharing), or none
   */
  public static List<String> argv(Hosts hosts, Host host, List<String> argv,
      Map<String, String> env, String dir, long graceSeconds, int cpusPerTask,
      List<String> sshOptions) {
    List<String> out = new ArrayList<>();
    switch (hosts.launch()) {
      case SRUN -> {
        out.addAll(List.of("srun", "--nodes=1", "--ntasks=1",
            "--cpus-per-task=" + cpusPerTask, "--exact", "--quiet", "--kill-on-bad-exit=1",
            "--nodelist=" + host.name()));
        out.addAll(argv);
      }
      case PBSDSH -> {
        out.addAll(List.of("pbsdsh", "-n", Integer.toString(host.index()), "--", "/bin/sh",
            "-c"));
        out.add(script(argv, env, dir, graceSeconds));
      }
      case SSH -> {
        out.add("ssh");
        out.addAll(sshOptions);
        out.addAll(List.of("-o", "BatchMode=yes", "-x", "--", host.name())); // no host is an option
        out.add(script(argv, env, dir, graceSeconds));
      }
      case TEMPLATE -> {
        boolean placed = false;
        boolean first = true;
        for (String w : hosts.template()) {
          if (w.contains("{host}")) {
            out.add(w.replace("{host}", host.name()));
            placed = true;
          } else {
            out.add(w);
          }
          if (first) {
            out.addAll(sshOptions);
            first = false;
          }
        }
        if (!placed) {
          out.add(host.name());
        }
        out.add(script(argv, env, dir, graceSeconds));
      }
      default -> throw new IllegalStateException(hosts.launch().toString());
    }
    return out;
  }

  /**
   * The shell script run on the host. Positional word order matters: the remote login shell gets
   * it as one string, so every word is single-quoted and survives byte for byte.
   */
  static String script(List<String> argv, Map<String, String> env, String dir,
      long graceSeconds) {
    StringBuilder s = new StringBuilder();
    s.append("cd ").append(quote(dir)).append(" || exit 1\n");
    if (!env.isEmpty()) {
      s.append("export");
      env.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> s.append(' ').append(quote(e.getKey() + "=" + e.getValue())));
      s.append('\n');
    }
    s.append("exec 3<&0\n");
    for (String w : argv) {
      s.append(quote(w)).append(' ');
    }
    s.append("</dev/null 3<&- &\n");
    s.append("p=$!\n");
    // The watcher: ignores the TERM it sends to the group, KILLs after the grace time.
    s.append("(trap '' TERM; while read -r _; do :; done <&3; kill -TERM 0 2>/dev/null; sleep ")
        .append(graceSeconds).append("; kill -KILL 0 2>/dev/null) &\n");
    s.append("w=$!\n");
    s.append("exec 3<&-\n");
    s.append("wait \"$p\"; s=$?\n");
    s.append("kill -KILL \"$w\" 2>/dev/null; wait \"$w\" 2>/dev/null\n");
    s.append("exit \"$s\"");
    return s.toString();
  }

  /** POSIX single quotes: every byte literal, a quote as '\''. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
