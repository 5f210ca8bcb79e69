package jpack.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The checks and requests of --report and --plan (they run no task): ConfigFactory's kin. */
final class ReportConfig {
  private ReportConfig() {}

  /** The options of --report and --plan alone: anything else given with them runs nothing. */
  private static final java.util.Set<Opt> PLAN_ONLY = java.util.EnumSet.of(Opt.FROM, Opt.TASKS,
      Opt.TASK_TIME, Opt.TASKS_PER_JOB, Opt.NODE_CPUS, Opt.NODE_MEM, Opt.JOB_OVERHEAD,
      Opt.PLAN_SCRIPT);

  /** Whether the command line asks for a report or a plan (run nothing), checked. */
  static boolean reportOrPlan(ParsedArgs a) throws UsageException {
    boolean report = a.has(Opt.REPORT_LOGS);
    boolean plan = a.has(Opt.PLAN);
    if (report && plan) {
      throw new UsageException("--report and --plan cannot be used together (a plan reads a"
          + " pilot's log with --from LOG)");
    }
    if (a.has(Opt.REPORT_HTML) && !report) {
      throw new UsageException("--report-html needs --report LOG");
    }
    if (!plan) {
      for (Opt o : PLAN_ONLY) {
        if (a.has(o)) {
          throw new UsageException(o.longName + " needs --plan");
        }
      }
    }
    return report || plan;
  }

  /** --report's logs: its values, then the operands. */
  static List<Path> reportLogs(ParsedArgs a) throws UsageException {
    List<Path> logs = new ArrayList<>();
    for (String v : a.all(Opt.REPORT_LOGS)) {
      logs.add(Path.of(v));
    }
    for (String v : a.command()) {
      if (v.startsWith("--") && Opt.find(v.contains("=") ? v.substring(0, v.indexOf('=')) : v)
          != null) {
        throw new UsageException("--report LOG...: the logs come last, after every option ("
            + v + " is among them): jpack --report-html FILE --report LOG...");
      }
      logs.add(Path.of(v));
    }
    return logs;
  }

  static int cpusPerTask(ParsedArgs a) throws UsageException {
    String c = a.get(Opt.CPUS_PER_TASK);
    return c == null ? 1 : (int) ConfigFactory.count(c, "--cpus-per-task", 1, 1 << 20);
  }

  /** --plan's request; runWords are the run's own options and command, for the job script. */
  static jpack.report.Plan.Request plan(ParsedArgs a, ArgvNormalizer.Family winner)
      throws UsageException {
    String mem = a.get(Opt.MEM_PER_TASK);
    if ("auto".equals(mem)) {
      throw new UsageException("--mem-per-task auto learns from the tasks of a run: a plan"
          + " needs a SIZE (10G), or --from LOG with a pilot's peaks");
    }
    String script = a.get(Opt.PLAN_SCRIPT);
    if (script != null && !script.equals("slurm") && !script.equals("pbs")) {
      throw new UsageException("invalid --plan-script '" + script + "': use slurm or pbs");
    }
    String from = a.get(Opt.FROM);
    if (from == null && a.get(Opt.TASKS) == null) {
      throw new UsageException("--plan needs --tasks N (with --task-time DURATION), or --from"
          + " LOG of a pilot run");
    }
    if (from == null && a.get(Opt.TASK_TIME) == null) {
      throw new UsageException("--plan --tasks needs --task-time DURATION (or --from LOG of a"
          + " pilot run)");
    }
    Duration taskTime = a.get(Opt.TASK_TIME) == null ? null
        : Durations.parse(a.get(Opt.TASK_TIME), "--task-time");
    if (taskTime != null && taskTime.isZero()) {
      throw new UsageException("invalid --task-time '" + a.get(Opt.TASK_TIME)
          + "': it must be above 0");
    }
    String overhead = a.get(Opt.JOB_OVERHEAD);
    List<String> words = new ArrayList<>();
    java.util.Set<Opt> notCarried = java.util.EnumSet.of(Opt.PLAN, Opt.JOBLOG, Opt.RESUME,
        Opt.RESUME_FAILED, Opt.SHARD, Opt.DEBUG, Opt.SHOW_ALLOCATION, Opt.REPORT_LOGS,
        Opt.REPORT_HTML);
    notCarried.addAll(PLAN_ONLY);
    for (Opt o : Opt.values()) {
      if (!a.has(o) || notCarried.contains(o)
          || o == Opt.MAX_ARGS && winner != ArgvNormalizer.Family.MAX_ARGS
          || o == Opt.MAX_LINES && winner != ArgvNormalizer.Family.MAX_LINES
          || o == Opt.REPLACE && winner != ArgvNormalizer.Family.REPLACE) {
        continue;
      }
      if (!o.takesValue()) {
        words.add(o.longName);
      } else if (o.kind == Opt.Kind.LIST) {
        for (String v : a.all(o)) {
          words.add(o.longName + "=" + v);
        }
      } else {
        words.add(o.longName + "=" + a.get(o));
      }
    }
    words.addAll(a.command());
    return new jpack.report.Plan.Request(
        from == null ? null : Path.of(from),
        a.get(Opt.TASKS) == null ? 0 : ConfigFactory.count(a.get(Opt.TASKS), "--tasks", 1, Long.MAX_VALUE),
        taskTime,
        mem == null ? 0 : ConfigFactory.size(mem, "--mem-per-task"),
        cpusPerTask(a),
        a.get(Opt.NODE_CPUS) == null ? 0
            : (int) ConfigFactory.count(a.get(Opt.NODE_CPUS), "--node-cpus", 1, 1 << 20),
        a.get(Opt.NODE_MEM) == null ? 0 : ConfigFactory.size(a.get(Opt.NODE_MEM), "--node-mem"),
        overhead == null ? Duration.ofSeconds(30) : Durations.parse(overhead, "--job-overhead"),
        a.get(Opt.TASKS_PER_JOB) == null ? 0
            : ConfigFactory.count(a.get(Opt.TASKS_PER_JOB), "--tasks-per-job", 1, Long.MAX_VALUE),
        script,
        words);
  }
}
