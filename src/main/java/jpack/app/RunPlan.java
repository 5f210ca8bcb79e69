package jpack.app;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import jpack.config.Allocation;
import jpack.config.Concurrency;
import jpack.config.Deadline;
import jpack.config.Host;
import jpack.config.Hosts;
import jpack.config.OutputMode;
import jpack.config.Policy;
import jpack.config.Resources;
import jpack.config.RunConfig;
import jpack.output.Printer;
import jpack.site.AllocationProbe;
import jpack.site.BatchJob;
import jpack.site.Diag;
import jpack.site.HostProbe;
import jpack.site.LimitsProbe;

/**
 * What the site grants this run, decided once before it starts: how many tasks run at once (from
 * -P, the allocation's CPUs, memory and GPUs, the hosts, the limit on open files), on which hosts,
 * and until when (the deadline). Probes the machine and the batch system; starts nothing.
 */
final class RunPlan {
  /** Descriptors jpack keeps for itself on top of its tasks' (the JVM, the log, the helper). */
  private static final int OWN_FILES = 64;

  private final RunConfig cfg;
  private final Printer printer;
  /** The allocation, when -P, memory or GPUs per task need it; else null. */
  final Allocation allocation;
  /** Tasks at once (Integer.MAX_VALUE: no limit). */
  final int procs;
  /** With --hosts: the slots on each host; null when tasks run here only. */
  final HostSlots hosts;
  /** Why the run cannot start at all (no host, a task that fits nowhere), or null. */
  final String refusal;
  /** Whether the first task runs alone for a second before the others start (-P not given). */
  final boolean rampUp;
  private Deadline deadline;

  RunPlan(RunConfig cfg, Printer printer) {
    this.cfg = cfg;
    this.printer = printer;
    Resources res = cfg.resources();
    Concurrency asked = cfg.procs();
    boolean needAllocation = asked.fromAllocation() || res.memPerTask() > 0 || res.memAuto()
        || res.gpusPerTask() > 0;
    this.allocation = needAllocation ? AllocationProbe.probe(System.getenv()) : null;
    int procs = asked.cap();
    String misfit = null; // a request no task can ever fit: reported by run(), exit 1
    if (allocation != null && cfg.hosts() == null) {
      int byCpus = asked.fromAllocation() ? res.cpusPerTask() : 0;
      int fit = allocation.slots(byCpus, res.memPerTask(), res.gpusPerTask());
      misfit = allocation.misfit(byCpus, res.memPerTask());
      String tight = misfit == null ? allocation.tight(res.memPerTask()) : null;
      if (tight != null) {
        printer.message("jpack: warning: " + tight);
      }
      if (Diag.on()) {
        Diag.log(RunPlan.class, "tasks at once from the allocation: " + allocation.explain(
            byCpus, res.memPerTask(), res.gpusPerTask()) + (asked.fromAllocation() ? ""
            : "; -P " + asked));
      }
      procs = Math.min(procs, fit);
    }
    List<Host> hosts = null;
    String hostError = null;
    if (cfg.hosts() != null) {
      try {
        hosts = HostProbe.resolve(cfg.hosts(), System.getenv());
      } catch (HostProbe.HostException e) {
        hostError = e.getMessage(); // reported by run(), which then starts nothing
        hosts = List.of(new Host("localhost", 1, 0));
      }
    }
    this.hosts = hosts == null ? null : new HostSlots(hosts, asked, res.cpusPerTask());
    this.refusal = hostError != null ? hostError : misfit;
    if (this.hosts != null) {
      procs = this.hosts.size();
    }
    this.procs = fitOpenFiles(procs);
    this.rampUp = res.defaultProcs() && procs > 1;
  }

  /** How many commands the reader keeps ready ahead of the starts. */
  int readAhead() {
    return (int) Math.min(1024L, Math.max(16L, procs * 2L));
  }

  /**
   * Tasks at once within the limit on open files: --line-buffer keeps two pipes a task open in
   * jpack, --worker two a worker, a remote task over ssh its stdin pipe. Over it, fewer run at
   * once, with one warning (as GNU parallel does), instead of "Too many open files" mid-run.
   */
  private int fitOpenFiles(int procs) {
    int perTask = cfg.output() == OutputMode.LINE ? 2 : cfg.worker() ? 2 : 0;
    if (cfg.hosts() != null && cfg.hosts().launch() != Hosts.Launch.SRUN) {
      perTask++;
    }
    if (perTask == 0 || procs <= 1) {
      return procs;
    }
    long[] files = LimitsProbe.openFiles();
    if (files == null) {
      return procs;
    }
    long room = files[0] - files[1] - OWN_FILES;
    long fit = Math.max(1, room / perTask);
    if (procs <= fit) {
      return procs;
    }
    printer.message("jpack: warning: " + (procs == Integer.MAX_VALUE ? "as many tasks as"
        + " possible" : procs + " tasks") + " at once would need " + perTask + " open files"
        + " each, over the limit of " + files[0] + " (ulimit -n): running " + fit + " at once");
    return (int) fit;
  }

  /** The run's deadline (--deadline, or the batch job's end), found once. */
  Deadline deadline() {
    if (deadline == null) {
      deadline = BatchJob.deadline(cfg.policy(), System.getenv(), Instant.now(),
          w -> printer.message("jpack: warning: " + w));
    }
    return deadline;
  }

  /**
   * What the allocation grants and how many tasks run at once, the deadline, the shard and the
   * job log (--show-allocation): one "jpack: " line each.
   */
  String describe() {
    Allocation a = allocation != null ? allocation : AllocationProbe.probe(System.getenv());
    String mem = a.memoryBytes() < 0 ? "unknown" : Allocation.gib(a.memoryBytes()) + " ("
        + a.memorySource() + "; " + Allocation.gib(a.taskBytes()) + " for tasks, "
        + Allocation.gib(a.ownBytes()) + " kept for jpack)";
    Deadline d = deadline();
    String when = "none";
    if (d.at() != null) {
      long left = Duration.between(Instant.now(), d.at()).toSeconds();
      when = d.at().atZone(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS)
          .toOffsetDateTime() + (left >= 0 ? " (in " + ProgressReport.human(left) + ")"
          : " (passed)");
    }
    Resources res = cfg.resources();
    Policy policy = cfg.policy();
    return "jpack: allocation: " + a.cpus() + " CPUs (" + a.cpuSource() + "), memory " + mem
        + ", " + a.gpus().size() + " GPUs"
        + (a.gpus().isEmpty() ? "" : " " + String.join(",", a.gpus())) + "; "
        + (procs == Integer.MAX_VALUE ? "unlimited" : String.valueOf(procs)) + " tasks at once"
        + (hosts == null ? "" : " on " + hosts.describe())
        + "\njpack: deadline: " + when + ", " + d.source()
        + "\njpack: shard: " + (res.shards() == 0 ? "none (the whole input)"
            : res.shard() + "/" + res.shards())
        + "\njpack: job log: " + (policy.joblog() == null ? "none" : policy.joblog()
            + (policy.resume() == Policy.Resume.RESUME ? " (--resume)"
            : policy.resume() == Policy.Resume.RESUME_FAILED ? " (--resume-failed)" : ""));
  }
}
