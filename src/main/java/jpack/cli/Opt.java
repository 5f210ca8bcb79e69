package jpack.cli;

import static jpack.cli.Opt.Group.BUILD;
import static jpack.cli.Opt.Group.CONCURRENCY;
import static jpack.cli.Opt.Group.HPC;
import static jpack.cli.Opt.Group.INPUT;
import static jpack.cli.Opt.Group.OTHER;
import static jpack.cli.Opt.Group.OUTPUT;
import static jpack.cli.Opt.Group.REMOTE;
import static jpack.cli.Opt.Group.REPORT;
import static jpack.cli.Opt.Group.RESTART;
import static jpack.cli.Opt.Group.SWEEP;

import java.util.HashMap;
import java.util.Map;

/**
 * Every option of jpack, once: its names, whether it takes a value (and its label), its group in
 * --help and the man page, and its help text (plain text: no picocli format escapes). The fast
 * parser ({@link ParsedArgs}), {@link ArgvNormalizer}, --help, the errors with suggestions, the man
 * page and the bash completion ({@link HelpModel}, {@link DocGen}) all read this table. A new option
 * is a constant here, its check in {@link ConfigFactory}, and its consumer.
 *
 * <p>The lower-case -e, -i and -l (xargs' optional, attached-only values of -E, -I and -L) are
 * getopt spellings that {@link ArgvNormalizer} rewrites; the help texts of -E, -L and -I name them.
 */
enum Opt {
  ARG_FILE(INPUT, "-a", "--arg-file", "FILE",
      "Read items from FILE; the tasks then keep jpack's stdin."),
  COMMANDS(INPUT, null, "--commands", "FILE",
      "A task file: every line of FILE that is not blank or a # comment is one shell "
      + "command, run by sh -c (or $SHELL when it is bash, zsh, ksh, dash), as TACC launcher, "
      + "disBatch and parallel < cmds.txt take them; CRLF line ends are stripped (with a "
      + "warning). Tasks get JPACK_LINE, the line's number."),
  NUL(INPUT, "-0", "--null", null,
      "Items end with a NUL byte; quotes and backslashes are literal."),
  DELIMITER(INPUT, "-d", "--delimiter", "DELIM",
      "Items end with DELIM (a byte, or an escape: \\n \\t \\0 \\\\ \\xHH \\ooo)."),
  EOF(INPUT, "-E", "--eof", "EOF",
      "Stop at an item equal to EOF. Also -e[EOF], --eof[=EOF] (without EOF: no end-of-file "
      + "string)."),
  MAX_ARGS(BUILD, "-n", "--max-args", "N",
      "At most N items per command."),
  MAX_LINES(BUILD, "-L", "--max-lines", "N",
      "At most N non-blank input lines per command (implies -x); a line ending in a blank "
      + "continues. Also -l[N], --max-lines[=N]."),
  REPLACE(BUILD, "-I", "--replace", "STR",
      "One command per line, with every STR in the initial arguments replaced by the line. "
      + "Also -i[STR], --replace[=STR] (default {})."),
  MAX_CHARS(BUILD, "-s", "--max-chars", "N",
      "At most N bytes per command line (default 131072, capped by the system)."),
  EXIT(BUILD, "-x", "--exit", null,
      "Stop if a command line would exceed -s with fewer than -n/-L items."),
  PLACEHOLDERS(BUILD, null, "--placeholders", null,
      "GNU parallel's mode: each input line (or row of the input sources, see Parameter "
      + "sweeps) is one task, and {} {.} {/} {//} {/.} {#} {%} in the command become the line, "
      + "it without extension, its basename, dirname, basename without extension, the task's "
      + "seq and its slot (from 1); {1} {2} ... (and {1.} {1/} {1//} {1/.}, {-1} from the end) "
      + "the row's values, {name} a --header column. Without any in the command the values "
      + "are appended. With several values {} is all of them, each its own argument."),
  LINK(SWEEP, null, "--link", null,
      "Take the input sources side by side instead of every combination; a shorter one wraps "
      + "round to its first value until the longest ends (GNU parallel's --link)."),
  COLSEP(SWEEP, null, "--colsep", "REGEX",
      "Split each value (each line of a file source) into columns at every match of REGEX "
      + "(a Java regular expression; empty columns are kept): {1} {2} ... are the columns, "
      + "those of all the sources one after the other."),
  HEADER(SWEEP, null, "--header", ":|REGEX",
      "The first value (line, CSV record) of each input source names its columns: {name} "
      + "is that column. jpack takes the first record whatever the REGEX (GNU parallel's "
      + "usual '.*\\n', or :)."),
  CSV(SWEEP, null, "--csv", null,
      "Read the input sources as CSV (RFC 4180, by Apache Commons CSV): a quoted field may "
      + "hold commas, doubled quotes and newlines; a one-character --colsep is the separator "
      + "instead of the comma."),
  DRY_RUN(SWEEP, null, "--dry-run", null,
      "Print the commands that would run, shell-quoted, one per line, and run nothing (with "
      + "--shard: that part's; {%} stays as it is, since no slot is taken)."),
  WORKER(BUILD, null, "--worker", null,
      "COMMAND stays running (one per slot) and does one task per input line: it reads the "
      + "line on stdin, prints the task's output, then ends the task with a line of a NUL "
      + "byte and the exit status (printf '\\0%d\\n' $?). For very short tasks: no process "
      + "start per task; exit status and time per task in --joblog."),
  WORKDIR(BUILD, null, "--wd", "DIR",
      "Run each task in DIR (placeholders allowed: --wd 'runs/{1}'), made first (with its "
      + "parents) when missing, as GNU parallel's --wd; relative to jpack's directory. On "
      + "another host: cd there (not made)."),
  NO_RUN_IF_EMPTY(BUILD, "-r", "--no-run-if-empty", null,
      "Run nothing when the input is empty (by default the command runs once)."),
  MAX_PROCS(CONCURRENCY, "-P", "--max-procs", "N",
      "Run up to N tasks at once; 0 = as many as possible. Default: the CPUs this process "
      + "may use (cgroup quota and affinity)."),
  DELAY(CONCURRENCY, null, "--delay", "DURATION",
      "Wait at least DURATION (0.5, 2s, 1m) between the starts of two tasks."),
  PROCESS_SLOT_VAR(CONCURRENCY, null, "--process-slot-var", "NAME",
      "Set NAME in each task's environment to its slot, 0..P-1, unique among the running "
      + "tasks."),
  CPUS_PER_TASK(HPC, null, "--cpus-per-task", "N",
      "Give each task N CPUs (fewer tasks at once) and OMP_NUM_THREADS=N; without -P, N "
      + "over the allocation's CPUs is an error."),
  MEM_PER_TASK(HPC, null, "--mem-per-task", "SIZE|auto",
      "Run at most floor(available / SIZE) tasks at once (10G, 512M); available is the "
      + "tightest of the cgroup limits (the group's and its parents'), Slurm's memory and "
      + "MemAvailable, less jpack's own (its resident memory + 64 MiB). SIZE over the "
      + "allocation is an error; over what is free now, a warning. auto: learn SIZE from the "
      + "peaks of the tasks that ended (their 95th percentile + 25 %), starting with one task "
      + "per 10 % of available (or the CPUs, if fewer), and halve the limit after an "
      + "out-of-memory kill; never more than -P or the CPUs."),
  GPUS_PER_TASK(HPC, null, "--gpus-per-task", "N",
      "Give each running task its own N GPUs (CUDA_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES, "
      + "HIP_VISIBLE_DEVICES); at most devices / N at once."),
  SHARD(HPC, null, "--shard", "K/N|auto[/N|/INDICES]",
      "Run only part K of N of the tasks (task seq modulo N); the N parts together run "
      + "every task once. In a job array the parts are its indices: auto/N: K = the element's "
      + "index, 1..N (SLURM_ARRAY_TASK_ID, PBS_ARRAY_INDEX, Torque's PBS_ARRAYID), the same "
      + "part when one element is rerun (sbatch --array=3); auto/INDICES: the indices as "
      + "--array or qsub -J has them (0-20, 1-9:2, 1,5,10), K = the index's place among them. "
      + "auto: the indices from SLURM_ARRAY_TASK_MIN/MAX/STEP/COUNT, only for a whole range "
      + "from 0 or 1 (a one-element, later-starting or listed array is refused: give auto/N). "
      + "Several jpacks of one srun step or mpirun split each part (SLURM_PROCID/NTASKS, "
      + "OMPI_COMM_WORLD_RANK/SIZE, PMI_RANK/SIZE); a single one is part 1/1. Tasks get "
      + "JPACK_SHARD=K/N; {shard} in --joblog, --status and --hostfile is K."),
  SHOW_ALLOCATION(HPC, null, "--show-allocation", null,
      "Print the CPUs, memory and GPUs jpack found and where from, the tasks at once, the "
      + "deadline and where from, the --shard part and the job log."),
  HOSTFILE(REMOTE, null, "--hostfile", "FILE",
      "Run tasks on the hosts in FILE: one per line, once per slot (PBS_NODEFILE), or "
      + "N/host, host:N, host slots=N lines."),
  HOSTS(REMOTE, null, "--hosts", "LIST|auto",
      "Run tasks on these hosts (h1,h2:8,4/h3); auto: the batch job's nodes (PBS_NODEFILE, "
      + "or SLURM_JOB_NODELIST with its CPUs per node). A host without a count gets -P slots, "
      + "else as many as this node's CPUs. -P caps each host."),
  LAUNCHER(REMOTE, null, "--launcher", "ssh|srun|pbsdsh|TEMPLATE",
      "How a task starts on its host (default ssh: ssh -o BatchMode=yes -x HOST 'command'; "
      + "one shared connection per host; same directory and JPACK_* variables there). srun: "
      + "each task a job step on its node; pbsdsh: PBS's TM launcher. TEMPLATE: a command "
      + "such as 'ssh -p 2222' or 'srun -w {host} sh -c' that takes the host (appended, or at "
      + "{host}) and the command as ssh does. Exit 255 from ssh or a template is a failed "
      + "launch: the task runs elsewhere; a host failing 3 times in a row is dropped."),
  ENV(REMOTE, null, "--env", "NAME[,NAME...]", Kind.LIST,
      "Pass these variables of jpack's environment to the remote tasks too (they get the "
      + "JPACK_* ones and their login's own); repeatable."),
  KEEP_ORDER(OUTPUT, "-k", "--keep-order", null,
      "Print the tasks' output in input order (each block as soon as every earlier task is "
      + "done)."),
  LINE_BUFFER(OUTPUT, null, "--line-buffer", null,
      "Print whole lines as they come; lines of tasks interleave, never torn."),
  UNGROUP(OUTPUT, "-u", "--ungroup", null,
      "Tasks write straight to jpack's stdout and stderr (as xargs; fastest)."),
  TAG(OUTPUT, null, "--tag", null,
      "Start each output line with the task's items and a TAB."),
  TAGSTRING(OUTPUT, null, "--tagstring", "STR",
      "As --tag, with STR as the tag: placeholders allowed ({1} {name} {#} {%} ..., as in "
      + "--placeholders, on the task's values)."),
  RESULTS(OUTPUT, null, "--results", "DIR|FILE",
      "Save each task's output instead of printing it, as GNU parallel does. DIR: a directory "
      + "per task, DIR/1/VALUE/2/VALUE/ (or the --header names), with seq, stdout and stderr. "
      + "FILE.tsv, FILE.csv, FILE.json: one table, a row per task written once it ended: seq, "
      + "host, start, runtime, sizes, exit status, signal, command, its values (V1... or the "
      + "--header names), stdout and stderr (inline up to 64 KiB each, else in "
      + "FILE.out/SEQ.stdout, named in StdoutFile), then peak memory (KiB) and CPU seconds "
      + "when known. .json is JSON Lines (one object a line). With --resume the table is "
      + "continued, never a task twice."),
  BAR(OUTPUT, null, "--bar", null,
      "On a terminal, one live line: done/total, failed, running, rate, ETA (done: "
      + "succeeded, as in the summary; running: started and not ended)."),
  PROGRESS(OUTPUT, null, "--progress", null,
      "A status line every --progress-interval and at the end (for batch logs: plain lines, "
      + "never a carriage return)."),
  PROGRESS_INTERVAL(OUTPUT, null, "--progress-interval", "DURATION",
      "How often --progress prints (default 60s)."),
  STATUS(OUTPUT, null, "--status", "FILE",
      "Rewrite FILE (atomically, every 5 s and at the end) with a small JSON status: "
      + "counts, running tasks (seq, pid, start), rate, ETA. {shard}: the part."),
  VERBOSE(OUTPUT, "-t", "--verbose", null,
      "Print each command line on stderr before it runs."),
  JOBLOG(RESTART, null, "--joblog", "FILE",
      "Append a line per finished task to FILE in GNU parallel's format: Seq Host Starttime "
      + "JobRuntime Send Receive Exitval Signal Command. {shard} in FILE is the --shard part: "
      + "log.{shard}.tsv."),
  RESUME(RESTART, null, "--resume", null,
      "Skip the tasks the --joblog already has; run the rest."),
  RESUME_FAILED(RESTART, null, "--resume-failed", null,
      "Like --resume, but also rerun the tasks the log has as failed."),
  FORCE_RESUME(RESTART, null, "--force-resume", null,
      "Resume by sequence number even where the logged command differs (the input or the "
      + "command changed)."),
  FSYNC(RESTART, null, "--fsync", null,
      "Force each job-log line to disk."),
  RETRIES(RESTART, null, "--retries", "N",
      "Run a failed task up to N more times; the log shows the last attempt."),
  TIMEOUT(RESTART, null, "--timeout", "DURATION",
      "Stop a task (its whole process tree: TERM, then KILL after --term-grace) that runs "
      + "longer than DURATION (90s, 10m, 2h) or N% of the median runtime of the successful "
      + "tasks so far. It counts as failed."),
  HALT(RESTART, null, "--halt", "WHEN,WHAT=N",
      "Stop early as GNU parallel does: never, soon,fail=N, now,fail=N, soon,fail=N%, "
      + "now,success=N, soon,done=N (soon: start nothing more; now: also stop the running "
      + "tasks). never also runs on after exit 255 or a signal."),
  STALL_AFTER(RESTART, null, "--stall-after", "DURATION",
      "Warn (one line on stderr, repeated each time the silence doubles; and in --status) "
      + "when no task has ended for DURATION while tasks run. Default: 10 times the 95th "
      + "percentile of the runtimes so far, at least 10m; 0: never."),
  TERM_GRACE(RESTART, null, "--term-grace", "DURATION",
      "Time between TERM and KILL when jpack stops tasks (default 5s)."),
  DEADLINE(RESTART, null, "--deadline", "TIME",
      "When the run must be over: a duration from now (2h, 90m), a time (14:30, "
      + "2026-11-25T14:30, @EPOCH), or none. Default: the end of the Slurm or PBS job jpack "
      + "runs in (squeue or qstat: 2 s at most, a warning if they fail). Near it jpack starts "
      + "only tasks that can finish, stops the running ones just before it and exits 75: run "
      + "again with --resume."),
  SUMMARY(RESTART, null, "--summary", null,
      "Always end with the summary line: tasks done, failed, killed by jpack, skipped (N+ "
      + "when the input was not read to its end), time. By default it is printed when "
      + "something failed or was left undone."),
  REPORT_LOGS(REPORT, null, "--report", "LOG", Kind.LIST,
      "Run nothing: report on the job log LOG (and the logs given after it, one a shard of a "
      + "job array) on stdout: tasks done and failed by cause (exit status, signal, timeout: "
      + "signal 15 with Exitval -1, out of memory: from LOG.usage), runtime and peak memory "
      + "quantiles, slots (the most runs at once), makespan, utilisation, tail waste, the "
      + "slowest runs, core-hours used and held. Not run is unknowable from a log alone."),
  REPORT_HTML(REPORT, null, "--report-html", "FILE",
      "With --report, also write the report as one self-contained HTML page (inline SVG and "
      + "CSS, no script, nothing from the network): the slots' timeline, tasks running over "
      + "time, histograms of runtime and peak memory."),
  PLAN(REPORT, null, "--plan", null,
      "Run nothing: plan a run for a node shape (--node-cpus, --node-mem, else this "
      + "allocation's) from given figures (--tasks, --task-time, --mem-per-task, "
      + "--cpus-per-task) or a pilot's log (--from): tasks per node, waves, jobs, the walltime "
      + "to ask for, node-hours, and the cost of one task per job or per node."),
  FROM(REPORT, null, "--from", "LOG",
      "With --plan: take the tasks' runtimes and peak memory (p95 + 25 % + 8 MiB) from the job "
      + "log of a pilot run (and the number of tasks, without --tasks)."),
  TASKS(REPORT, null, "--tasks", "N",
      "With --plan: the number of tasks to plan for."),
  TASK_TIME(REPORT, null, "--task-time", "DURATION",
      "With --plan: each task's runtime (6h, 20s)."),
  TASKS_PER_JOB(REPORT, null, "--tasks-per-job", "N",
      "With --plan: the tasks each job (array element) runs; default: one wave when tasks "
      + "take 4 h or more, else enough waves for a job of about 4 h."),
  NODE_CPUS(REPORT, null, "--node-cpus", "N",
      "With --plan: a node's CPUs (default: this allocation's)."),
  NODE_MEM(REPORT, null, "--node-mem", "SIZE",
      "With --plan: a node's memory for the job (192G; default: this allocation's limit); "
      + "jpack keeps 100 MB of it for itself."),
  JOB_OVERHEAD(REPORT, null, "--job-overhead", "DURATION",
      "With --plan: what each job costs the scheduler (default 30s)."),
  PLAN_SCRIPT(REPORT, null, "--plan-script", "slurm|pbs",
      "With --plan: print a ready job script instead (the plan as its comments): a job array "
      + "(or one job) with its resources and walltime, and the jpack line with --shard auto/N, "
      + "--joblog log.{shard}.tsv --resume and the options and command given after --plan's."),
  INTERACTIVE(OTHER, "-p", "--interactive", null,
      "Ask on the terminal before each command (implies -t)."),
  OPEN_TTY(OTHER, "-o", "--open-tty", null,
      "Tasks read the terminal (/dev/tty) instead of /dev/null."),
  SHOW_LIMITS(OTHER, null, "--show-limits", null,
      "Print the command-line size limits."),
  DEBUG(OTHER, null, "--debug", null,
      "Show stack traces for internal errors, and what jpack probed and why it runs P at "
      + "once (as JPACK_LOG=debug does)."),
  HELP(OTHER, null, "--help", null,
      "Print this help and exit."),
  VERSION(OTHER, null, "--version", null,
      "Print the version and exit."),
  CDS_TRAINING(OTHER, null, "--cds-training", null,
      null);

  /** The sections of --help and the man page, in their order. */
  enum Group {
    INPUT("Input"),
    BUILD("Command building"),
    SWEEP("Parameter sweeps (with --placeholders)", "After the command, input sources as GNU "
        + "parallel's: ::: VALUES... (the values), :::: FILE... (each file's lines; - is "
        + "standard input), :::+ and ::::+ (linked to the source before: side by side, as many "
        + "tasks as the shorter has). Tasks take every combination, the last source varying "
        + "fastest: ::: a b ::: 1 2 runs a 1, a 2, b 1, b 2. Several -a FILE are sources too, "
        + "before those. The first source streams; the later ones are read whole first."),
    CONCURRENCY("Concurrency"),
    HPC("HPC allocation and job arrays"),
    REMOTE("Several hosts"),
    OUTPUT("Output and progress"),
    RESTART("Restart, failures and time limits"),
    REPORT("Report and plan (no task runs)"),
    OTHER("Other");

    final String heading;
    /** A paragraph before the group's options, or null. */
    final String intro;

    Group(String heading) {
      this(heading, null);
    }

    Group(String heading, String intro) {
      this.heading = heading;
      this.intro = intro;
    }
  }

  /** A flag; an option with a value (the last one given counts); one whose values add up. */
  enum Kind { FLAG, VALUE, LIST }

  final Group group;
  /** "-a", or null when there is no short name. */
  final String shortName;
  final String longName;
  final Kind kind;
  /** The value's label in the docs ("FILE"); null for a flag. */
  final String label;
  /** One paragraph of plain text; null for an option left out of the docs. */
  final String help;

  private static final Map<String, Opt> BY_NAME = new HashMap<>();

  static {
    for (Opt o : values()) {
      BY_NAME.put(o.longName, o);
      if (o.shortName != null) {
        BY_NAME.put(o.shortName, o);
      }
    }
  }

  Opt(Group group, String shortName, String longName, String label, String help) {
    this(group, shortName, longName, label, label == null ? Kind.FLAG : Kind.VALUE, help);
  }

  Opt(Group group, String shortName, String longName, String label, Kind kind, String help) {
    this.group = group;
    this.shortName = shortName;
    this.longName = longName;
    this.label = label;
    this.kind = kind;
    this.help = help;
  }

  /** The option named name ("-a" or "--arg-file"), or null. */
  static Opt find(String name) {
    return BY_NAME.get(name);
  }

  boolean takesValue() {
    return kind != Kind.FLAG;
  }

  boolean hidden() {
    return help == null;
  }

  /** Its names as the docs list them: the short one first. */
  String[] names() {
    return shortName == null ? new String[] {longName} : new String[] {shortName, longName};
  }
}
