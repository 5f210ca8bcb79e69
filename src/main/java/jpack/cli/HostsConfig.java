package jpack.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jpack.config.Hosts;
import jpack.config.Resources;

/** --hosts, --hostfile and --launcher: where tasks run and how they start there. */
final class HostsConfig {
  private HostsConfig() {}

  /** --hostfile, --hosts and --launcher; null when tasks run here only. */
  static Hosts hosts(ParsedArgs a, Resources res) throws UsageException {
    String hostfile = a.get(Opt.HOSTFILE);
    String hostList = a.get(Opt.HOSTS);
    String launcher = a.get(Opt.LAUNCHER);
    if (hostfile == null && hostList == null) {
      if (launcher != null || a.has(Opt.ENV)) {
        throw new UsageException((launcher != null ? "--launcher" : "--env")
            + " needs --hosts or --hostfile");
      }
      return null;
    }
    if (hostfile != null && hostList != null) {
      throw new UsageException("--hostfile and --hosts cannot be used together");
    }
    boolean auto = "auto".equals(hostList);
    List<String> list = hostList == null || auto ? List.of()
        : Arrays.asList(hostList.split(","));
    String l = launcher == null ? "ssh" : launcher.strip();
    Hosts.Launch launch;
    List<String> template = List.of();
    switch (l) {
      case "ssh" -> launch = Hosts.Launch.SSH;
      case "srun" -> launch = Hosts.Launch.SRUN;
      case "pbsdsh" -> launch = Hosts.Launch.PBSDSH;
      default -> {
        launch = Hosts.Launch.TEMPLATE;
        template = words(l, "--launcher");
        if (template.isEmpty()) {
          throw new UsageException("invalid --launcher '' (want ssh, srun, pbsdsh or a command)");
        }
      }
    }
    List<String> env = new ArrayList<>();
    for (String names : a.all(Opt.ENV)) {
      for (String name : names.split(",")) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new UsageException("invalid --env name '" + name + "'");
        }
        env.add(name);
      }
    }
    return new Hosts(ConfigFactory.shardPath(hostfile, res), list, auto, launch, template, env);
  }

  /** Splits a command template into words as sh would: blanks, '...', "..." and backslashes. */
  static List<String> words(String s, String option) throws UsageException {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' && i + 1 < s.length()) {
        w.append(s.charAt(++i));
        inWord = true;
      } else if (ch == '\'' || ch == '"') {
        int end = s.indexOf(ch, i + 1);
        if (end < 0) {
          throw new UsageException("invalid " + option + " '" + s + "': unmatched " + ch);
        }
        w.append(s, i + 1, end);
        i = end;
        inWord = true;
      } else if (ch == ' ' || ch == '\t' || ch == '\n') {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(ch);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }
}
