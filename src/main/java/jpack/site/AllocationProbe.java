package jpack.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jpack.config.Allocation;

/**
 * Reads what the allocation grants.
 *
 * <p>CPUs: the batch system's claim (PBS's NCPUS, PBS_NCPUS, Torque's PBS_NUM_PPN, PBS_NP; in an
 * srun step, the step's task: SLURM_CPUS_PER_TASK, else SLURM_CPUS_ON_NODE over the step's tasks
 * on this node; in a Slurm job outside a step, SLURM_CPUS_ON_NODE, SLURM_JOB_CPUS_PER_NODE),
 * never more than the CPU affinity (Cpus_allowed_list) and the cgroup CPU quota allow; without a
 * claim, the CPUs this process may use.
 *
 * <p>Memory: the tightest of the cgroup limits on this process's group and its ancestors (v2
 * memory.max, v1 memory.limit_in_bytes and hierarchical_memory_limit), Slurm's
 * SLURM_MEM_PER_NODE, SLURM_MEM_PER_CPU x CPUs, SLURM_MEM_PER_GPU x GPUs (MB), MemTotal and
 * MemAvailable; in an srun step of several tasks on this node, each task's share. jpack keeps its
 * own resident memory and {@link #OWN_GROWTH} out of what the tasks get.
 *
 * <p>GPUs: CUDA_VISIBLE_DEVICES (or ROCR_VISIBLE_DEVICES), else the NVIDIA driver's list.
 */
public final class AllocationProbe {
  /** What jpack keeps on top of its resident memory, for it to grow (buffers, the resume table). */
  static final long OWN_GROWTH = 64L << 20;
  /** What jpack keeps when its resident memory cannot be read. */
  static final long OWN_UNKNOWN = 128L << 20;

  private AllocationProbe() {}

  public static Allocation probe(Map<String, String> env) {
    return probe(env, Path.of("/"), Runtime.getRuntime().availableProcessors());
  }

  /** A number and where it came from. */
  private record Claim(long value, String source) {}

  /** The probe against another root (for tests: fake /proc and /sys trees). */
  public static Allocation probe(Map<String, String> env, Path root, int availableProcessors) {
    Cgroups cgroups = Cgroups.of(root);
    String status = read(root.resolve("proc/self/status"));
    int sharing = inStep(env) ? stepTasksHere(env) : 1;
    String share = sharing > 1 ? " / " + sharing + " tasks of srun step "
        + env.get("SLURM_STEP_ID") + " on this node" : "";

    Claim claim = cpuClaim(env, sharing);
    Integer affinity = affinity(status);
    Cgroups.Limit quota = cgroups.cpuQuota();
    long cpus;
    String cpuSource;
    if (claim != null) {
      cpus = claim.value();
      cpuSource = claim.source();
      if (affinity != null && affinity < cpus) {
        cpus = affinity;
        cpuSource += ", capped by the CPU affinity (Cpus_allowed_list)";
      }
      if (quota != null && quota.value() < cpus) {
        cpus = quota.value();
        cpuSource += ", capped by the cgroup CPU quota (" + quota.file() + ")";
      }
    } else {
      cpus = availableProcessors;
      if (affinity != null) {
        cpus = Math.min(cpus, affinity);
      }
      if (quota != null) {
        cpus = Math.min(cpus, quota.value());
      }
      cpuSource = quota != null && quota.value() == cpus
          ? "the cgroup CPU quota (" + quota.file() + ")" : "CPUs this process may use";
    }
    int n = (int) Math.max(1, Math.min(Integer.MAX_VALUE, cpus));

    List<String> gpus = gpus(env, root);
    // hard limits: what no task can ever exceed (undivided); mem: what there is for this jpack
    long limit = -1;
    String limitSource = "unknown";
    long mem = -1;
    String memSource = "unknown";
    List<Claim> hard = new ArrayList<>();
    Cgroups.Limit cgroup = cgroups.memory();
    if (cgroup != null) {
      hard.add(new Claim(cgroup.value(), "cgroup memory limit, " + cgroup.file()));
    }
    Long perNode = leadingLong(env.get("SLURM_MEM_PER_NODE"));
    if (perNode != null && perNode > 0) {
      hard.add(new Claim(perNode << 20, "SLURM_MEM_PER_NODE"));
    }
    Long perGpu = leadingLong(env.get("SLURM_MEM_PER_GPU"));
    Integer gpusHere = leadingInt(env.get("SLURM_GPUS_ON_NODE"));
    int gpuCount = gpusHere != null && gpusHere > 0 ? gpusHere : gpus.size();
    if (perGpu != null && perGpu > 0 && gpuCount > 0) {
      hard.add(new Claim((perGpu << 20) * gpuCount, "SLURM_MEM_PER_GPU x " + gpuCount + " GPUs"));
    }
    long total = meminfo(root, "MemTotal:");
    if (total > 0) {
      hard.add(new Claim(total, "MemTotal"));
    }
    for (Claim c : hard) {
      if (limit < 0 || c.value() < limit) {
        limit = c.value();
        limitSource = c.source();
      }
      if (mem < 0 || c.value() / sharing < mem) {
        mem = c.value() / sharing;
        memSource = c.source() + share;
      }
    }
    Long perCpu = leadingLong(env.get("SLURM_MEM_PER_CPU"));
    if (perCpu != null && perCpu > 0) { // per CPU: already this task's share
      long bytes = (perCpu << 20) * n;
      if (limit < 0 || bytes < limit) {
        limit = bytes;
        limitSource = "SLURM_MEM_PER_CPU x " + n + " CPUs";
      }
      if (mem < 0 || bytes < mem) {
        mem = bytes;
        memSource = "SLURM_MEM_PER_CPU x " + n + " CPUs";
      }
    }
    long available = meminfo(root, "MemAvailable:");
    if (available > 0 && (mem < 0 || available / sharing < mem)) {
      mem = available / sharing;
      memSource = "MemAvailable" + share;
    }
    long rss = statusKb(status, "VmRSS:");
    long own = rss < 0 ? OWN_UNKNOWN : rss * 1024 + OWN_GROWTH;
    Allocation a = new Allocation(n, cpuSource, mem, memSource, limit, limitSource,
        mem < 0 ? 0 : own, gpus);
    if (Diag.on()) {
      Diag.log(AllocationProbe.class, "CPUs: batch system's claim "
          + (claim == null ? "none" : claim.value() + " (" + claim.source() + ")")
          + ", affinity " + (affinity == null ? "unknown" : affinity + " (Cpus_allowed_list)")
          + ", cgroup quota " + (quota == null ? "none" : quota.value() + " (" + quota.file()
          + ")") + ", JVM availableProcessors " + availableProcessors + ": " + n);
      StringBuilder m = new StringBuilder("memory:");
      for (Claim c : hard) {
        m.append(' ').append(c.source()).append(' ').append(Allocation.gib(c.value())).append(',');
      }
      m.append(" SLURM_MEM_PER_CPU ").append(perCpu == null ? "unset" : perCpu + " MB")
          .append(", MemAvailable ").append(available < 0 ? "unknown" : Allocation.gib(available))
          .append(sharing > 1 ? ", shared by " + sharing + " step tasks" : "")
          .append(": ").append(mem < 0 ? "unknown" : Allocation.gib(mem)).append(" (")
          .append(memSource).append("); jpack keeps ").append(Allocation.gib(a.ownBytes()))
          .append(rss < 0 ? " (its resident memory is unknown)" : " (resident "
              + Allocation.gib(rss * 1024) + " + " + Allocation.gib(OWN_GROWTH) + ")")
          .append(", tasks get ").append(a.taskBytes() < 0 ? "unknown"
              : Allocation.gib(a.taskBytes()));
      Diag.log(AllocationProbe.class, m.toString());
      Diag.log(AllocationProbe.class, "GPUs: " + gpus + (env.get("CUDA_VISIBLE_DEVICES") != null
          ? " (CUDA_VISIBLE_DEVICES)" : env.get("ROCR_VISIBLE_DEVICES") != null
          ? " (ROCR_VISIBLE_DEVICES)" : " (the NVIDIA driver's list)"));
    }
    return a;
  }

  /** Whether this process is a task of an srun step (a batch script is not). */
  static boolean inStep(Map<String, String> env) {
    return env.get("SLURM_JOB_ID") != null && env.get("SLURM_STEP_ID") != null;
  }

  /** The CPUs the batch system says this process has, or null outside a batch job. */
  private static Claim cpuClaim(Map<String, String> env, int sharing) {
    for (String var : new String[] {"NCPUS", "PBS_NCPUS", "PBS_NUM_PPN"}) {
      Integer n = leadingInt(env.get(var));
      if (n != null && n > 0) {
        return new Claim(n, var);
      }
    }
    Integer np = leadingInt(env.get("PBS_NP")); // Torque: all nodes' processors
    Integer nodes = leadingInt(env.get("PBS_NUM_NODES"));
    if (np != null && np > 0 && (nodes == null || nodes <= 1)) {
      return new Claim(np, "PBS_NP");
    }
    if (inStep(env)) {
      String step = "srun step " + env.get("SLURM_STEP_ID");
      Integer perTask = leadingInt(env.get("SLURM_CPUS_PER_TASK"));
      if (perTask != null && perTask > 0) {
        return new Claim(perTask, "SLURM_CPUS_PER_TASK, a task of " + step);
      }
      Integer node = leadingInt(env.get("SLURM_CPUS_ON_NODE"));
      if (node != null && node > 0) {
        return new Claim(Math.max(1, node / sharing), sharing == 1 ? "SLURM_CPUS_ON_NODE"
            : "SLURM_CPUS_ON_NODE " + node + " / " + sharing + " tasks of " + step
                + " on this node");
      }
    }
    for (String var : new String[] {"SLURM_CPUS_ON_NODE", "SLURM_JOB_CPUS_PER_NODE",
        "SLURM_CPUS_PER_TASK"}) {
      Integer n = leadingInt(env.get(var));
      if (n != null && n > 0) {
        return new Claim(n, var);
      }
    }
    return null;
  }

  /** The tasks of this srun step on this node: SLURM_STEP_TASKS_PER_NODE's entry for it. */
  static int stepTasksHere(Map<String, String> env) {
    String spec = env.get("SLURM_STEP_TASKS_PER_NODE");
    Integer nodeId = leadingInt(env.get("SLURM_NODEID"));
    if (spec == null) {
      return 1;
    }
    int node = nodeId == null ? 0 : nodeId;
    for (String part : spec.split(",")) { // "2(x3),1": 2 on each of 3 nodes, then 1
      Integer tasks = leadingInt(part);
      int times = 1;
      int x = part.indexOf("(x");
      if (x >= 0) {
        Integer t = leadingInt(part.substring(x + 2));
        times = t == null ? 1 : t;
      }
      if (tasks == null) {
        return 1;
      }
      if (node < times) {
        return Math.max(1, tasks);
      }
      node -= times;
    }
    return 1;
  }

  /** How many CPUs Cpus_allowed_list (in /proc/self/status) names, or null. */
  static Integer affinity(String status) {
    if (status == null) {
      return null;
    }
    for (String line : status.split("\n")) {
      if (line.startsWith("Cpus_allowed_list:")) {
        int n = 0;
        for (String range : line.substring(18).trim().split(",")) {
          String[] ab = range.trim().split("-");
          try {
            int a = Integer.parseInt(ab[0]);
            int b = ab.length > 1 ? Integer.parseInt(ab[1]) : a;
            n += b - a + 1;
          } catch (NumberFormatException e) {
            return null;
          }
        }
        return n > 0 ? n : null;
      }
    }
    return null;
  }

  static List<String> gpus(Map<String, String> env, Path root) {
    String visible = env.get("CUDA_VISIBLE_DEVICES");
    if (visible == null) {
      visible = env.get("ROCR_VISIBLE_DEVICES");
    }
    if (visible != null) {
      List<String> ids = new ArrayList<>();
      for (String id : visible.split(",")) {
        if (!id.isBlank() && !id.trim().equals("-1") && !id.trim().equals("NoDevFiles")) {
          ids.add(id.trim());
        }
      }
      return ids;
    }
    Path drivers = root.resolve("proc/driver/nvidia/gpus");
    try (var s = Files.list(drivers)) {
      long n = s.count();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(String.valueOf(i));
      }
      return ids;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The tightest memory limit on this process's cgroups and their ancestors, or -1. */
  static long cgroupLimit(Path root) {
    Cgroups.Limit limit = Cgroups.of(root).memory();
    return limit == null ? -1 : limit.value();
  }

  /** A /proc/meminfo field in bytes, or -1. */
  static long meminfo(Path root, String field) {
    long kb = statusKb(read(root.resolve("proc/meminfo")), field);
    return kb < 0 ? -1 : kb * 1024;
  }

  /** A "Field:   123 kB" line's number, or -1. */
  private static long statusKb(String text, String field) {
    if (text == null) {
      return -1;
    }
    for (String line : text.split("\n")) {
      if (line.startsWith(field)) {
        Long kb = leadingLong(line.substring(field.length()).trim());
        return kb == null ? -1 : kb;
      }
    }
    return -1;
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A file's number; -1 when missing or not a number ("max": no limit). */
  static long number(String s) {
    if (s == null) {
      return -1;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The number at the start of values such as "48" or "48(x2)" (SLURM_JOB_CPUS_PER_NODE). */
  static Integer leadingInt(String s) {
    Long l = leadingLong(s);
    return l == null || l > Integer.MAX_VALUE ? null : l.intValue();
  }

  static Long leadingLong(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    String t = s.trim();
    while (i < t.length() && Character.isDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0) {
      return null;
    }
    try {
      return Long.parseLong(t.substring(0, i));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
