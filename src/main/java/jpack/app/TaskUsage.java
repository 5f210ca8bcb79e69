package jpack.app;

import java.util.Locale;
import java.util.OptionalLong;
import jpack.exec.Usage;
import jpack.site.MemoryCgroup;

/**
 * What the tasks used, as jpack-spawn's wait4 tells (issue 17): the peaks of their resident
 * memory and their CPU time, for the summary, --status and --progress; which deaths by SIGKILL
 * were the kernel's OOM killer (its counter in jpack's memory cgroup rose); and, with
 * --mem-per-task auto, how many tasks fit in the memory for tasks by the peaks seen so far.
 */
final class TaskUsage {
  /** The learnt size per task: the peaks' 95th percentile and this much more. */
  private static final double MARGIN = 1.25;
  /** And at least this much more (a task's own page tables and files, a sample's noise). */
  private static final long MARGIN_KB = 8 * 1024;

  private final MemoryCgroup cgroup;
  private long oomSeen;
  private final int cpusPerTask;
  private final Runtimes peaksKb = new Runtimes();
  private long maxPeakKb = -1;
  private long cpuMicros;
  private long wallNanosKnown;
  private long oomKills;
  // --mem-per-task auto
  private final boolean auto;
  private final long taskKb;
  private final int cautious;
  private int ceiling = Integer.MAX_VALUE;

  /**
   * @param cgroup jpack's memory cgroup (its OOM-kill counter), or null not to name OOM kills
   * @param taskBytes the memory for tasks, for auto (-1: unknown)
   * @param cpus tasks at once the CPUs allow, for auto's cautious start
   */
  TaskUsage(MemoryCgroup cgroup, int cpusPerTask, boolean auto, long taskBytes, int cpus) {
    this.cgroup = cgroup;
    OptionalLong now = cgroup == null ? OptionalLong.empty() : cgroup.oomKills();
    this.oomSeen = now.isPresent() ? now.getAsLong() : -1;
    this.cpusPerTask = Math.max(1, cpusPerTask);
    this.auto = auto && taskBytes > 0;
    this.taskKb = taskBytes / 1024;
    this.cautious = Math.max(1, Math.min(10, cpus));
  }

  /**
   * A task died of a SIGKILL jpack did not send: whether the OOM killer sent it (its counter
   * rose since the kills named before; each kill is named once).
   */
  boolean oomKilled() {
    if (oomSeen < 0) {
      return false;
    }
    OptionalLong now = cgroup.oomKills();
    if (now.isPresent() && now.getAsLong() > oomSeen) {
      oomSeen++;
      return true;
    }
    return false;
  }

  /** A task ran to its end (not stopped by jpack): what it used, if known. */
  void ended(Usage u, long runtimeNanos) {
    if (u == null || !u.known()) {
      return;
    }
    if (u.maxRssKb() >= 0) {
      peaksKb.add(u.maxRssKb());
      maxPeakKb = Math.max(maxPeakKb, u.maxRssKb());
    }
    if (u.cpuMicros() >= 0) {
      cpuMicros += u.cpuMicros();
      wallNanosKnown += runtimeNanos;
    }
  }

  /** An OOM kill, while running tasks (it included) ran: auto halves the limit. */
  void oomKill(int running) {
    oomKills++;
    if (auto) {
      ceiling = Math.max(1, Math.min(ceiling, running) / 2);
    }
  }

  long oomKills() {
    return oomKills;
  }

  boolean auto() {
    return auto;
  }

  /** With auto: tasks at once the memory allows now (Integer.MAX_VALUE without auto). */
  int fit() {
    if (!auto) {
      return Integer.MAX_VALUE;
    }
    long per = perTaskKb();
    int fit = per <= 0 ? cautious : (int) Math.max(1, Math.min(Integer.MAX_VALUE, taskKb / per));
    return Math.min(fit, ceiling);
  }

  /** The size per task auto uses now, KiB; 0 before any peak is known. */
  long perTaskKb() {
    return peaksKb.count() == 0 ? 0
        : (long) (peaksKb.quantile(0.95) * MARGIN) + MARGIN_KB;
  }

  long maxPeakKb() {
    return maxPeakKb;
  }

  long p95PeakKb() {
    return peaksKb.count() == 0 ? -1 : peaksKb.quantile(0.95);
  }

  /** CPU seconds over wall seconds times the CPUs per task, of the tasks measured; -1 if none. */
  double cpuEfficiency() {
    return wallNanosKnown <= 0 ? -1
        : cpuMicros * 1000.0 / wallNanosKnown / cpusPerTask;
  }

  /** For the summary: "; peak memory 201 MB (p95 200 MB), CPU 98 % of 1 CPU a task", or "". */
  String summary() {
    StringBuilder sb = new StringBuilder();
    if (maxPeakKb >= 0) {
      sb.append("; peak memory ").append(size(maxPeakKb)).append(" (p95 ")
          .append(size(p95PeakKb())).append(')');
    }
    double eff = cpuEfficiency();
    if (eff >= 0) {
      sb.append(sb.length() == 0 ? "; " : ", ").append(String.format(Locale.ROOT,
          "CPU %.0f %% of %d CPU%s a task", eff * 100, cpusPerTask, cpusPerTask == 1 ? "" : "s"));
    }
    if (auto) {
      sb.append(", --mem-per-task auto: ").append(perTaskKb() == 0 ? "nothing learnt"
          : size(perTaskKb()) + " a task, " + fit() + " at once");
    }
    return sb.toString();
  }

  /** KiB as "201 MB" or "9.8 GB" (powers of 1024, as ps and sacct show them). */
  static String size(long kb) {
    if (kb < 1024) {
      return kb + " kB";
    }
    if (kb < 1024 * 1024) {
      return Math.round(kb / 1024.0) + " MB";
    }
    return String.format(Locale.ROOT, "%.1f GB", kb / (1024.0 * 1024));
  }
}
