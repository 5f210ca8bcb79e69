package jpack.report;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The arithmetic of packing: how many tasks a node holds (the tighter of its CPUs and its
 * memory), how many waves and jobs that makes, the walltime to ask for, the node-hours, and what
 * the other ways (one task per job, one task per node) would cost. Pure: the figures come in a
 * {@link Request}, measured ones from a pilot's log as {@link Measured}.
 */
public final class Plan {
  /** What jpack keeps for itself on a node (its resident memory + 64 MiB): not for tasks. */
  static final long OWN_BYTES = 100L << 20;
  /** A job aims at this long when tasks are short (long enough that ~30 s a job is < 1 %). */
  static final double TARGET_JOB_S = 4 * 3600;
  /** The walltime margin over the estimate, besides the runtime spread. */
  static final double MARGIN = 0.10;

  /**
   * A plan's figures as given.
   *
   * @param from a pilot's job log (its runtimes and peaks), or null
   * @param tasks the tasks to plan for (0: the pilot's count)
   * @param taskTime each task's runtime (null: the pilot's)
   * @param memPerTask bytes a task needs (0: the pilot's peaks, else unknown)
   * @param cpusPerTask CPUs a task uses
   * @param nodeCpus a node's CPUs (0: this allocation's)
   * @param nodeMem a node's memory, bytes (0: this allocation's; -1 unknown)
   * @param overhead what a job costs the scheduler (the lesson's ~30 s)
   * @param tasksPerJob tasks a job runs (0: chosen, so a job takes about 4 h or one wave)
   * @param script null, "slurm" or "pbs"
   * @param runWords the jpack options and command that the job script's jpack line runs
   */
  public record Request(Path from, long tasks, Duration taskTime, long memPerTask,
      int cpusPerTask, int nodeCpus, long nodeMem, Duration overhead, long tasksPerJob,
      String script, List<String> runWords) {
    public Request {
      runWords = List.copyOf(runWords);
    }
  }

  /** What a pilot measured: runtimes (s), the p95 of the peaks (KiB, 0: unknown). */
  record Measured(long tasks, double meanS, double p95S, double maxS, long p95RssKb) {}

  /** Where the node's shape came from (for the text). */
  record Node(int cpus, long memBytes, String source) {}

  final long tasks;
  final double meanS;
  final double maxS;
  final double p95S;
  final long memPerTask;
  final boolean memMeasured;
  final int cpusPerTask;
  final Node node;
  final long perNodeCpu;
  final long perNodeMem;
  final long perNode;
  final long tasksPerJob;
  final long jobs;
  final long waves;
  final double jobS;
  final double lastJobS;
  final double walltimeS;
  final double nodeHours;
  final double workCoreHours;
  final double overheadS;

  Plan(Request req, Measured m, Node node) {
    this.node = node;
    tasks = req.tasks() > 0 ? req.tasks() : m == null ? 0 : m.tasks();
    if (tasks <= 0) {
      throw new IllegalArgumentException("--plan needs --tasks N (or --from LOG of a pilot)");
    }
    if (req.taskTime() != null) {
      meanS = maxS = p95S = req.taskTime().toNanos() / 1e9;
    } else if (m != null) {
      meanS = m.meanS();
      maxS = m.maxS();
      p95S = m.p95S();
    } else {
      throw new IllegalArgumentException("--plan needs --task-time DURATION (or --from LOG of a"
          + " pilot)");
    }
    if (!(meanS > 0)) {
      throw new IllegalArgumentException("--plan: the tasks' runtime must be above 0");
    }
    cpusPerTask = Math.max(1, req.cpusPerTask());
    if (req.memPerTask() > 0) {
      memPerTask = req.memPerTask();
      memMeasured = false;
    } else if (m != null && m.p95RssKb() > 0) {
      // as --mem-per-task auto learns it: the p95 of the peaks + 25 % + 8 MiB
      memPerTask = (long) (m.p95RssKb() * 1024 * 1.25) + (8L << 20);
      memMeasured = true;
    } else {
      memPerTask = 0;
      memMeasured = false;
    }
    perNodeCpu = node.cpus() / cpusPerTask;
    if (perNodeCpu < 1) {
      throw new IllegalArgumentException("--cpus-per-task " + cpusPerTask + ": a node has "
          + node.cpus() + " CPUs (" + node.source() + "), so no task fits one");
    }
    perNodeMem = memPerTask > 0 && node.memBytes() > 0
        ? Math.max(0, node.memBytes() - OWN_BYTES) / memPerTask : Long.MAX_VALUE;
    if (perNodeMem < 1) {
      throw new IllegalArgumentException("--mem-per-task " + Fmt.bytes(memPerTask) + ": a node"
          + " has " + Fmt.bytes(node.memBytes()) + " (" + node.source() + "), less jpack's own"
          + " 100 MB, so no task fits one");
    }
    perNode = Math.min(perNodeCpu, perNodeMem);
    long wavesWanted = meanS >= TARGET_JOB_S ? 1 : Math.max(1, (long) (TARGET_JOB_S / meanS));
    tasksPerJob = Math.min(tasks, req.tasksPerJob() > 0 ? req.tasksPerJob()
        : perNode * wavesWanted);
    jobs = (tasks + tasksPerJob - 1) / tasksPerJob;
    waves = (tasksPerJob + perNode - 1) / perNode;
    jobS = jobSeconds(tasksPerJob);
    long last = tasks - (jobs - 1) * tasksPerJob;
    lastJobS = jobSeconds(last);
    double spread = maxS - meanS;
    walltimeS = Math.ceil((jobS * (1 + MARGIN) + spread) / 300) * 300;
    nodeHours = ((jobs - 1) * jobS + lastJobS) / 3600;
    workCoreHours = tasks * meanS * cpusPerTask / 3600;
    overheadS = req.overhead().toNanos() / 1e9;
  }

  /** A job of n tasks: its full waves at the mean, the last one as long as the slowest task. */
  private double jobSeconds(long n) {
    long w = (n + perNode - 1) / perNode;
    return (w - 1) * meanS + maxS;
  }

  /** Core-hours a job array holds: its jobs' time x the node's CPUs. */
  double heldCoreHours() {
    return nodeHours * node.cpus();
  }

  /** The plan as text. */
  String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("jpack plan: ").append(Fmt.count(tasks)).append(" tasks of ")
        .append(Fmt.secs(meanS)).append(maxS > meanS ? " (mean; p95 " + Fmt.secs(p95S)
            + ", max " + Fmt.secs(maxS) + ")" : "").append(", ")
        .append(Fmt.plural(cpusPerTask, "CPU", "CPUs")).append(memPerTask > 0 ? " and "
            + Fmt.bytes(memPerTask) + (memMeasured ? " (p95 of the pilot's peaks + 25 %)" : "")
            : "").append(" each\n");
    row(sb, "node", node.cpus() + " CPUs, " + (node.memBytes() > 0 ? Fmt.bytes(node.memBytes())
        : "memory unknown") + " (" + node.source() + ")");
    String mem = memPerTask <= 0 ? "memory per task unknown: the CPUs decide"
        : node.memBytes() <= 0 ? "node memory unknown: the CPUs decide"
        : "memory: (" + Fmt.bytes(node.memBytes()) + " - 100 MB for jpack) / "
        + Fmt.bytes(memPerTask) + " = " + perNodeMem;
    row(sb, "per node", perNode + " tasks at once (CPUs: " + node.cpus() + " / " + cpusPerTask
        + " = " + perNodeCpu + "; " + mem + ")");
    row(sb, "jobs", Fmt.count(jobs) + (jobs > 1 ? " (a job array)" : " (one job)") + " of 1 node, "
        + Fmt.count(tasksPerJob) + " tasks a job, " + Fmt.plural(waves, "wave", "waves")
        + " of " + perNode + ": about " + Fmt.secs(jobS) + " a job"
        + (lastJobS < jobS - 1 ? " (the last " + Fmt.secs(lastJobS) + ")" : ""));
    row(sb, "walltime", hms(walltimeS) + " to ask for (the estimate + " + Math.round(MARGIN * 100)
        + " %" + (maxS > meanS ? " + the spread, max - mean" : "") + ", to 5 min)");
    row(sb, "cost", Fmt.hours(nodeHours) + " node-hours (" + Fmt.hours(heldCoreHours())
        + " core-hours held, " + Fmt.hours(workCoreHours) + " of them the tasks' work);"
        + " scheduler: " + Fmt.count(jobs) + " x " + Fmt.secs(overheadS) + " = "
        + Fmt.secs(jobs * overheadS));
    sb.append("instead:\n");
    double oneJobNodeH = workCoreHours / node.cpus();
    row(sb, "  a job a task", Fmt.count(tasks) + " jobs of " + Fmt.plural(cpusPerTask, "CPU",
        "CPUs") + ": " + Fmt.hours(oneJobNodeH) + " node-hours if the scheduler shares nodes ("
        + Fmt.hours(tasks * meanS / 3600) + " if each job gets a node); scheduler: "
        + Fmt.count(tasks) + " x " + Fmt.secs(overheadS) + " = " + Fmt.secs(tasks * overheadS));
    row(sb, "  a node a task", Fmt.hours(tasks * meanS / 3600) + " node-hours ("
        + Fmt.count(tasks) + " nodes x " + Fmt.secs(meanS) + "); scheduler: " + Fmt.count(tasks)
        + " x " + Fmt.secs(overheadS) + " = " + Fmt.secs(tasks * overheadS));
    return sb.toString();
  }

  /** Seconds as a walltime, H:MM:SS (hours past 24 too: both Slurm and PBS take it). */
  static String hms(double s) {
    long t = (long) Math.ceil(s);
    return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
  }

  private static void row(StringBuilder sb, String label, String text) {
    sb.append(String.format(Locale.ROOT, "%-16s%s%n", label, text));
  }
}
