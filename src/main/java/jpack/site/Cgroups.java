package jpack.site;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * This process's cgroups, v1 or v2, and the limits set on them or on any of their ancestors: a
 * batch system sets its limits on the job's group (Slurm: job, then step, then task), and a
 * process in a child group without a limit of its own is bound by them all. The groups are found
 * through /proc/self/cgroup and /proc/self/mountinfo (so a container's own view, mounted at a
 * group below the hierarchy's root, works); without mountinfo the usual mount points are
 * assumed.
 */
final class Cgroups {
  /** A limit and the file it was read from (as an absolute path on the probed system). */
  record Limit(long value, String file) {}

  /**
   * A group directory of a hierarchy, whether the hierarchy is v2, and whether its mount shows
   * the whole tree (else the groups above the mount's root, a container's parents, are hidden).
   */
  private record Group(Path dir, Path mountDir, boolean v2, boolean wholeTree) {}

  /** A cgroup hierarchy mounted at dir: the group at the mount's root, v2 or v1's controllers. */
  private record Mount(Path dir, String root, boolean v2, List<String> controllers) {}

  /** v1 memory.limit_in_bytes and cpu quotas at or over this mean "no limit". */
  private static final long UNLIMITED = 1L << 60;

  private final Path root;
  private final List<Mount> mounts;
  private final List<String[]> self;

  private Cgroups(Path root, List<Mount> mounts, List<String[]> self) {
    this.root = root;
    this.mounts = mounts;
    this.self = self;
  }

  static Cgroups of(Path root) {
    return of(root, "self");
  }

  /** The groups of process proc ("self", or a pid) as this process's mounts show them. */
  static Cgroups of(Path root, String proc) {
    List<String[]> self = new ArrayList<>();
    String cgroup = AllocationProbe.read(root.resolve("proc").resolve(proc).resolve("cgroup"));
    if (cgroup != null) {
      for (String line : cgroup.split("\n")) {
        String[] f = line.split(":", 3);
        if (f.length == 3) {
          self.add(f);
        }
      }
    }
    return new Cgroups(root, mounts(root), self);
  }

  /** The tightest memory limit on this process's groups and their ancestors, or null. */
  Limit memory() {
    Limit best = null;
    for (Group g : groups("memory")) {
      for (Path dir = g.dir(); dir.startsWith(g.mountDir()); dir = dir.getParent()) {
        Path file = dir.resolve(g.v2() ? "memory.max" : "memory.limit_in_bytes");
        best = tighter(best, AllocationProbe.number(AllocationProbe.read(file)), file);
        if (dir.equals(g.mountDir())) {
          break;
        }
      }
      if (!g.v2() && !g.wholeTree()) { // v1 also tells the limit of ancestors hidden here
        Path stat = g.dir().resolve("memory.stat");
        String text = AllocationProbe.read(stat);
        if (text != null) {
          for (String line : text.split("\n")) {
            if (line.startsWith("hierarchical_memory_limit ")) {
              best = tighter(best, AllocationProbe.number(line.substring(26)), stat);
            }
          }
        }
      }
    }
    return best;
  }

  /**
   * The file of this process's own memory group that counts its OOM kills (the "oom_kill" line):
   * v2 memory.events (which counts the group's descendants too), v1 memory.oom_control (only
   * this group's own: v1 counts a kill in the victim's group alone); null when there is none
   * (no memory controller, the v2 root group, a kernel before 4.13).
   */
  Path oomEvents() {
    for (Group g : groups("memory")) {
      Path file = g.dir().resolve(g.v2() ? "memory.events" : "memory.oom_control");
      String text = AllocationProbe.read(file);
      if (text != null && text.contains("oom_kill ")) {
        return file;
      }
    }
    return null;
  }

  /** The tightest CPU quota on this process's groups and their ancestors, in CPUs (rounded up). */
  Limit cpuQuota() {
    Limit best = null;
    for (Group g : groups("cpu")) {
      for (Path dir = g.dir(); dir.startsWith(g.mountDir()); dir = dir.getParent()) {
        long cpus = -1;
        Path file;
        if (g.v2()) {
          file = dir.resolve("cpu.max");
          String max = AllocationProbe.read(file);
          String[] f = max == null ? new String[0] : max.trim().split("\\s+");
          if (f.length == 2) {
            cpus = ceilDiv(AllocationProbe.number(f[0]), AllocationProbe.number(f[1]));
          }
        } else {
          file = dir.resolve("cpu.cfs_quota_us");
          cpus = ceilDiv(AllocationProbe.number(AllocationProbe.read(file)),
              AllocationProbe.number(AllocationProbe.read(dir.resolve("cpu.cfs_period_us"))));
        }
        best = tighter(best, cpus, file);
        if (dir.equals(g.mountDir())) {
          break;
        }
      }
    }
    return best;
  }

  private static long ceilDiv(long quota, long period) {
    return quota > 0 && period > 0 ? (quota + period - 1) / period : -1;
  }

  private Limit tighter(Limit best, long value, Path file) {
    if (value <= 0 || value >= UNLIMITED || (best != null && best.value() <= value)) {
      return best;
    }
    return new Limit(value, "/" + root.relativize(file));
  }

  /** This process's group directories in the hierarchies that have the controller. */
  private List<Group> groups(String controller) {
    List<Group> out = new ArrayList<>();
    for (String[] f : self) {
      boolean v2 = f[0].equals("0") && f[1].isEmpty();
      if (!v2 && !Arrays.asList(f[1].split(",")).contains(controller)) {
        continue;
      }
      for (Mount m : mounts) { // a v1 hierarchy's mount options name all its controllers
        if (m.v2() != v2
            || (!v2 && !m.controllers().containsAll(Arrays.asList(f[1].split(","))))) {
          continue;
        }
        String path = f[2];
        if (path.equals(m.root()) || path.startsWith(m.root().endsWith("/") ? m.root()
            : m.root() + "/")) {
          path = path.substring(m.root().length());
        }
        Path dir = m.dir();
        for (String part : path.split("/")) {
          if (!part.isEmpty() && !part.equals("..") && !part.equals(".")) {
            dir = dir.resolve(part);
          }
        }
        out.add(new Group(dir, m.dir(), v2, m.root().equals("/")));
        break;
      }
    }
    return out;
  }

  /** The cgroup file systems in mountinfo; without it, the usual places. */
  private static List<Mount> mounts(Path root) {
    List<Mount> out = new ArrayList<>();
    String info = AllocationProbe.read(root.resolve("proc/self/mountinfo"));
    if (info == null) {
      Path base = root.resolve("sys/fs/cgroup");
      out.add(new Mount(base.resolve("memory"), "/", false, List.of("memory")));
      out.add(new Mount(base.resolve("cpu"), "/", false, List.of("cpu")));
      out.add(new Mount(base.resolve("cpu,cpuacct"), "/", false, List.of("cpu", "cpuacct")));
      out.add(new Mount(base, "/", true, List.of()));
      return out;
    }
    for (String line : info.split("\n")) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] left = line.substring(0, dash).split(" ");
      String[] right = line.substring(dash + 3).split(" ");
      if (left.length < 5 || right.length < 3) {
        continue;
      }
      boolean v2 = right[0].equals("cgroup2");
      if (!v2 && !right[0].equals("cgroup")) {
        continue;
      }
      String point = unescape(left[4]);
      Path dir = root.resolve(point.startsWith("/") ? point.substring(1) : point);
      out.add(new Mount(dir, unescape(left[3]), v2,
          v2 ? List.of() : List.of(right[2].split(","))));
    }
    return out;
  }

  /** mountinfo writes space, tab, newline and backslash as \ooo. */
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
