package jpack.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jpack.config.Host;
import jpack.config.Hosts;

/**
 * Turns --hostfile, --hosts and --hosts auto into the list of hosts and their slots. Host files
 * are PBS_NODEFILE's format (a host once per slot) and also take {@code N/host}, {@code host:N}
 * and Open MPI's {@code host slots=N}; blank lines and {@code #} comments are skipped.
 */
public final class HostProbe {
  private static final Pattern COUNT_FIRST = Pattern.compile("(\\d+)/(\\S+)");
  private static final Pattern COUNT_AFTER = Pattern.compile("([^:\\s]+):(\\d+)");
  private static final Pattern SLOTS = Pattern.compile("(\\S+)\\s+slots\\s*=\\s*(\\d+).*");
  private static final Pattern SLURM_COUNT = Pattern.compile("(\\d+)(?:\\(x(\\d+)\\))?");

  private HostProbe() {}

  /** Why the hosts could not be found; the message names the thing that is wrong. */
  public static final class HostException extends Exception {
    public HostException(String message) {
      super(message);
    }
  }

  /** The hosts to run on, in the order given, each once. */
  public static List<Host> resolve(Hosts spec, Map<String, String> env) throws HostException {
    List<Host> hosts;
    if (spec.hostfile() != null) {
      hosts = parse(read(spec.hostfile(), "--hostfile"), true, "--hostfile '"
          + spec.hostfile() + "'");
    } else if (spec.auto()) {
      hosts = auto(env);
    } else {
      hosts = parse(spec.list(), false, "--hosts");
    }
    if (hosts.isEmpty()) {
      throw new HostException(spec.hostfile() != null
          ? "--hostfile '" + spec.hostfile() + "' names no host" : "--hosts names no host");
    }
    return hosts;
  }

  /** The batch job's nodes: PBS_NODEFILE, or Slurm's SLURM_JOB_NODELIST and CPUs per node. */
  static List<Host> auto(Map<String, String> env) throws HostException {
    String nodefile = env.get("PBS_NODEFILE");
    if (nodefile != null && !nodefile.isBlank()) {
      return parse(read(Path.of(nodefile), "--hosts auto: PBS_NODEFILE"), true,
          "PBS_NODEFILE '" + nodefile + "'");
    }
    String nodelist = env.getOrDefault("SLURM_JOB_NODELIST", env.get("SLURM_NODELIST"));
    if (nodelist != null && !nodelist.isBlank()) {
      String out = BatchJob.run("scontrol", "show", "hostnames", nodelist);
      if (out == null) {
        throw new HostException("--hosts auto: 'scontrol show hostnames " + nodelist
            + "' failed");
      }
      List<String> names = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          names.add(line.trim());
        }
      }
      return slurm(names, env.get("SLURM_JOB_CPUS_PER_NODE"));
    }
    throw new HostException("--hosts auto: not inside a batch job (neither PBS_NODEFILE nor"
        + " SLURM_JOB_NODELIST is set)");
  }

  /** Slurm's hosts with their CPUs from a list like {@code 48(x2),24}; 0 where it does not say. */
  static List<Host> slurm(List<String> names, String cpusPerNode) {
    List<Integer> counts = new ArrayList<>();
    if (cpusPerNode != null) {
      for (String part : cpusPerNode.split(",")) {
        Matcher m = SLURM_COUNT.matcher(part.trim());
        if (!m.matches()) {
          counts.clear();
          break;
        }
        int times = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        for (int i = 0; i < times; i++) {
          counts.add(Integer.parseInt(m.group(1)));
        }
      }
    }
    List<Host> hosts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      hosts.add(new Host(names.get(i), counts.size() == names.size() ? counts.get(i) : 0, i));
    }
    return hosts;
  }

  /**
   * Hosts from lines or --hosts entries. A bare name counts one slot per line in a host file
   * (PBS_NODEFILE) and leaves the count open (0) in a --hosts list.
   */
  static List<Host> parse(List<String> entries, boolean bareIsOneSlot, String source)
      throws HostException {
    Map<String, int[]> seen = new LinkedHashMap<>(); // name -> {slots, index}
    int index = 0;
    for (String raw : entries) {
      String e = raw.strip();
      int hash = e.indexOf('#');
      if (hash >= 0) {
        e = e.substring(0, hash).strip();
      }
      if (e.isEmpty()) {
        continue;
      }
      String name;
      int slots;
      Matcher m;
      if ((m = COUNT_FIRST.matcher(e)).matches()) {
        name = m.group(2);
        slots = count(m.group(1), e, source);
      } else if ((m = SLOTS.matcher(e)).matches()) {
        name = m.group(1);
        slots = count(m.group(2), e, source);
      } else if ((m = COUNT_AFTER.matcher(e)).matches()) {
        name = m.group(1);
        slots = count(m.group(2), e, source);
      } else if (!e.matches("\\S+")) {
        throw new HostException(source + ": cannot read '" + e + "' (want host, N/host, host:N"
            + " or host slots=N)");
      } else {
        name = e;
        slots = bareIsOneSlot ? 1 : 0;
      }
      if (name.startsWith("-")) { // it would reach ssh (or a template) as an option
        throw new HostException(source + ": invalid host name '" + name + "': a host name does"
            + " not start with '-'");
      }
      int[] known = seen.get(name);
      if (known == null) {
        seen.put(name, new int[] {slots, index});
      } else {
        known[0] += slots;
      }
      index++;
    }
    List<Host> hosts = new ArrayList<>();
    seen.forEach((name, v) -> hosts.add(new Host(name, v[0], v[1])));
    return hosts;
  }

  private static int count(String digits, String entry, String source) throws HostException {
    try {
      int n = Integer.parseInt(digits);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the message
    }
    throw new HostException(source + ": invalid slot count in '" + entry + "'");
  }

  private static List<String> read(Path file, String what) throws HostException {
    try {
      return List.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
          .split("\n"));
    } catch (NoSuchFileException e) {
      throw new HostException(what + " '" + file + "': No such file or directory");
    } catch (IOException e) {
      throw new HostException(what + " '" + file + "': " + e.getMessage());
    }
  }
}
