package jpack.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jpack.config.Allocation;

/**
 * Reads what the allocation grants. CPUs: PBS (NCPUS, PBS_NCPUS), then Slurm
 * (SLURM_CPUS_PER_TASK, SLURM_CPUS_ON_NODE, SLURM_JOB_CPUS_PER_NODE), then the cgroup quota and
 * CPU affinity (the JVM's availableProcessors). Memory: the tightest of the cgroup limit (v2
 * memory.max, v1 memory.limit_in_bytes), Slurm's SLURM_MEM_PER_NODE / SLURM_MEM_PER_CPU (MB) and
 * MemAvailable. GPUs: CUDA_VISIBLE_DEVICES, else the NVIDIA driver's list.
 */
public final class AllocationProbe {
  private AllocationProbe() {}

  public static Allocation probe(Map<String, String> env) {
    return probe(env, Path.of("/"), Runtime.getRuntime().availableProcessors());
  }

  /** The probe against another root (for tests: fake /proc and /sys trees). */
  public static Allocation probe(Map<String, String> env, Path root, int availableProcessors) {
    int cpus = availableProcessors;
    String cpuSource = "CPUs this process may use";
    for (String var : new String[] {"NCPUS", "PBS_NCPUS", "SLURM_CPUS_PER_TASK",
        "SLURM_CPUS_ON_NODE", "SLURM_JOB_CPUS_PER_NODE"}) {
      Integer n = leadingInt(env.get(var));
      if (n != null && n > 0) {
        cpus = n;
        cpuSource = var;
        break;
      }
    }
    long mem = -1;
    String memSource = "unknown";
    long cgroup = cgroupLimit(root);
    if (cgroup > 0) {
      mem = cgroup;
      memSource = "cgroup memory limit";
    }
    Long perNode = leadingLong(env.get("SLURM_MEM_PER_NODE"));
    if (perNode != null && perNode > 0 && (mem < 0 || perNode * 1024 * 1024 < mem)) {
      mem = perNode * 1024 * 1024;
      memSource = "SLURM_MEM_PER_NODE";
    }
    Long perCpu = leadingLong(env.get("SLURM_MEM_PER_CPU"));
    if (perCpu != null && perCpu > 0 && (mem < 0 || perCpu * 1024 * 1024 * cpus < mem)) {
      mem = perCpu * 1024 * 1024 * cpus;
      memSource = "SLURM_MEM_PER_CPU x CPUs";
    }
    long available = memAvailable(root);
    if (available > 0 && (mem < 0 || available < mem)) {
      mem = available;
      memSource = "MemAvailable";
    }
    return new Allocation(cpus, cpuSource, mem, memSource, gpus(env, root));
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

  static long cgroupLimit(Path root) {
    // cgroup v2: the process's group from /proc/self/cgroup ("0::/path"), then memory.max.
    String self = read(root.resolve("proc/self/cgroup"));
    if (self != null) {
      for (String line : self.split("\n")) {
        String[] f = line.split(":", 3);
        if (f.length == 3 && f[0].equals("0")) {
          long limit = number(read(root.resolve("sys/fs/cgroup" + f[2] + "/memory.max")));
          if (limit > 0) {
            return limit;
          }
        }
        if (f.length == 3 && Arrays.asList(f[1].split(",")).contains("memory")) {
          long limit = number(read(root.resolve("sys/fs/cgroup/memory" + f[2]
              + "/memory.limit_in_bytes")));
          if (limit > 0 && limit < (1L << 60)) {
            return limit;
          }
        }
      }
    }
    long v2 = number(read(root.resolve("sys/fs/cgroup/memory.max")));
    if (v2 > 0) {
      return v2;
    }
    long v1 = number(read(root.resolve("sys/fs/cgroup/memory/memory.limit_in_bytes")));
    return v1 > 0 && v1 < (1L << 60) ? v1 : -1;
  }

  static long memAvailable(Path root) {
    String meminfo = read(root.resolve("proc/meminfo"));
    if (meminfo == null) {
      return -1;
    }
    for (String line : meminfo.split("\n")) {
      if (line.startsWith("MemAvailable:")) {
        Long kb = leadingLong(line.substring(13).trim());
        return kb == null ? -1 : kb * 1024;
      }
    }
    return -1;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long number(String s) {
    if (s == null) {
      return -1;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1; // "max": no limit
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
