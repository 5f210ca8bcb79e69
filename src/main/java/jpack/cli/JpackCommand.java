package jpack.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options, as picocli sees them after {@link ArgvNormalizer}. Values stay strings here: they are
 * checked in one place, {@link ConfigFactory}, with xargs' own messages.
 */
@Command(
    name = "jpack",
    mixinStandardHelpOptions = false,
    sortOptions = false,
    headerHeading = "",
    header = "Run a command for every item of the input, many at once: xargs for job packing.",
    synopsisHeading = "%nUsage: ",
    customSynopsis = "jpack [OPTION]... [COMMAND [INITIAL-ARGS]...]",
    descriptionHeading = "%n",
    description = "Reads items from standard input (or -a FILE), blank- or newline-separated as xargs does, "
            + "and runs COMMAND (default: echo) with as many items appended as fit, or one command per "
            + "line with -L 1 / -I. Up to -P commands run at once (default: the CPUs this process may "
            + "use). Each task's output is printed as one block when it ends (see Output).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  jpack -a greetings.txt -L 1 -P 8 ./greet.sh",
      "      20 greetings, 8 at a time, each task its own line",
      "  find . -name '*.fits' -print0 | jpack -0 -n 1 ./reduce.sh",
      "      one task per file, as many at once as there are CPUs",
      "  jpack -a tasks.txt -I{} -k --tag ./task.sh --input {}",
      "      one task per line, output in input order, each line tagged with its task",
      "  jpack -a tasks.txt -L 1 --joblog run.tsv --resume ./task.sh",
      "      restartable: run the same line again after a walltime kill to finish the rest",
      "  jpack --shard auto/21 -a tasks.txt -L 1 --joblog log.{shard}.tsv ./task.sh",
      "      in an array job (sbatch --array=1-21): element K runs part K of 21,",
      "      also when it is rerun alone (sbatch --array=K)",
      "  srun --ntasks-per-node=1 jpack --shard auto -a tasks.txt -L 1 ./task.sh",
      "      several Slurm nodes: one jpack per node, each on its share of the tasks",
      "  jpack --hosts auto -a tasks.txt -L 1 ./task.sh",
      "      one jpack spreading tasks over the job's nodes (PBS_NODEFILE) with ssh",
      "",
      "Exit status: 0 all tasks succeeded; 123 a task exited 1-125; 124 a task exited 255;",
      "125 a task was killed by a signal; 126 the command cannot run; 127 it was not found;",
      "75 stopped at the deadline with tasks left (run again with --resume); 128+N jpack",
      "was stopped by signal N (143 for TERM); 141 jpack's stdout was closed; 1 any other",
      "error. See man jpack and README.md."
    })
final class JpackCommand {

  @ArgGroup(validate = false, heading = "%nInput:%n", order = 1)
  InputOptions input = new InputOptions();

  @ArgGroup(validate = false, heading = "%nCommand building:%n", order = 2)
  BuildOptions build = new BuildOptions();

  @ArgGroup(validate = false, heading = "%nConcurrency:%n", order = 3)
  ConcurrencyOptions concurrency = new ConcurrencyOptions();

  @ArgGroup(validate = false, heading = "%nHPC allocation and job arrays:%n", order = 4)
  HpcOptions hpc = new HpcOptions();

  @ArgGroup(validate = false, heading = "%nSeveral hosts:%n", order = 5)
  HostOptions hosts = new HostOptions();

  @ArgGroup(validate = false, heading = "%nOutput and progress:%n", order = 6)
  OutputOptions output = new OutputOptions();

  @ArgGroup(validate = false, heading = "%nRestart, failures and time limits:%n", order = 7)
  RestartOptions restart = new RestartOptions();

  @ArgGroup(validate = false, heading = "%nOther:%n", order = 8)
  OtherOptions other = new OtherOptions();

  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "The command and its initial arguments (default: echo).")
  List<String> command = new ArrayList<>();

  static final class InputOptions {
    @Option(names = {"-a", "--arg-file"}, paramLabel = "FILE",
        description = "Read items from FILE; the tasks then keep jpack's stdin.")
    java.io.File argFile;

    @Option(names = "--commands", paramLabel = "FILE",
        description = "A task file: every line of FILE that is not blank or a # comment is "
            + "one shell command, run by sh -c (or $SHELL when it is bash, zsh, ksh, dash), "
            + "as TACC launcher, disBatch and parallel < cmds.txt take them; CRLF line ends "
            + "are stripped (with a warning). Tasks get JPACK_LINE, the line's number.")
    java.io.File commands;

    @Option(names = {"-0", "--null"},
        description = "Items end with a NUL byte; quotes and backslashes are literal.")
    boolean nul;

    @Option(names = {"-d", "--delimiter"}, paramLabel = "DELIM",
        description = "Items end with DELIM (a byte, or an escape: \\n \\t \\0 \\\\ \\xHH \\ooo).")
    String delimiter;

    @Option(names = {"-E", "--eof"}, paramLabel = "EOF",
        description = "Stop at an item equal to EOF. "
            + "Also -e[EOF], --eof[=EOF] (without EOF: no end-of-file string).")
    String eof;
  }

  static final class BuildOptions {
    @Option(names = {"-n", "--max-args"}, paramLabel = "N",
        description = "At most N items per command.")
    String maxArgs;

    @Option(names = {"-L", "--max-lines"}, paramLabel = "N",
        description = "At most N non-blank input lines per command (implies -x); "
            + "a line ending in a blank continues. Also -l[N], --max-lines[=N].")
    String maxLines;

    @Option(names = {"-I", "--replace"}, paramLabel = "STR",
        description = "One command per line, with every STR in the initial arguments "
            + "replaced by the line. Also -i[STR], --replace[=STR] (default {}).")
    String replace;

    @Option(names = {"-s", "--max-chars"}, paramLabel = "N",
        description = "At most N bytes per command line (default 131072, capped by the system).")
    String maxChars;

    @Option(names = {"-x", "--exit"},
        description = "Stop if a command line would exceed -s with fewer than -n/-L items.")
    boolean exit;

    @Option(names = "--placeholders",
        description = "GNU parallel's replacement strings: each input line is one task, and "
            + "{} {.} {/} {//} {/.} {#} {%%} in the command become the line, it without "
            + "extension, its basename, dirname, basename without extension, the task's seq "
            + "and its slot (from 1). Without any in the command the line is appended.")
    boolean placeholders;

    @Option(names = "--worker",
        description = "COMMAND stays running (one per slot) and does one task per input line: "
            + "it reads the line on stdin, prints the task's output, then ends the task with a "
            + "line of a NUL byte and the exit status (printf '\\0%%d\\n' $?). For very short "
            + "tasks: no process start per task; exit status and time per task in --joblog.")
    boolean worker;

    @Option(names = {"-r", "--no-run-if-empty"},
        description = "Run nothing when the input is empty (by default the command runs once).")
    boolean noRunIfEmpty;
  }

  static final class ConcurrencyOptions {
    @Option(names = {"-P", "--max-procs"}, paramLabel = "N",
        description = "Run up to N tasks at once; 0 = as many as possible. "
            + "Default: the CPUs this process may use (cgroup quota and affinity).")
    String maxProcs;

    @Option(names = "--process-slot-var", paramLabel = "NAME",
        description = "Set NAME in each task's environment to its slot, 0..P-1, unique among the"
            + " running tasks.")
    String processSlotVar;
  }

  static final class HpcOptions {
    @Option(names = "--cpus-per-task", paramLabel = "N",
        description = "Give each task N CPUs (fewer tasks at once) and OMP_NUM_THREADS=N; "
            + "without -P, N over the allocation's CPUs is an error.")
    String cpusPerTask;

    @Option(names = "--mem-per-task", paramLabel = "SIZE",
        description = "Run at most floor(available / SIZE) tasks at once (10G, 512M); available "
            + "is the tightest of the cgroup limits (the group's and its parents'), Slurm's "
            + "memory and MemAvailable, less jpack's own (its resident memory + 64 MiB). "
            + "SIZE over the allocation is an error; over what is free now, a warning.")
    String memPerTask;

    @Option(names = "--gpus-per-task", paramLabel = "N",
        description = "Give each running task its own N GPUs (CUDA_VISIBLE_DEVICES, "
            + "ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES); at most devices / N at once.")
    String gpusPerTask;

    @Option(names = "--shard", paramLabel = "K/N|auto[/N|/INDICES]",
        description = "Run only part K of N of the tasks (task seq modulo N); the N parts "
            + "together run every task once. In a job array the parts are its indices: "
            + "auto/N: K = the element's index, 1..N (SLURM_ARRAY_TASK_ID, PBS_ARRAY_INDEX, "
            + "Torque's PBS_ARRAYID), the same part when one element is rerun (sbatch "
            + "--array=3); auto/INDICES: the indices as --array or qsub -J has them (0-20, "
            + "1-9:2, 1,5,10), K = the index's place among them. auto: the indices from "
            + "SLURM_ARRAY_TASK_MIN/MAX/STEP/COUNT, only for a whole range from 0 or 1 (a "
            + "one-element, later-starting or listed array is refused: give auto/N). Several "
            + "jpacks of one srun step or mpirun split each part (SLURM_PROCID/NTASKS, "
            + "OMPI_COMM_WORLD_RANK/SIZE, PMI_RANK/SIZE); a single one is part 1/1. Tasks get "
            + "JPACK_SHARD=K/N; {shard} in --joblog, --status and --hostfile is K.")
    String shard;

    @Option(names = "--show-allocation",
        description = "Print the CPUs, memory and GPUs jpack found and where from, the tasks "
            + "at once, the deadline and where from, the --shard part and the job log.")
    boolean showAllocation;
  }

  static final class HostOptions {
    @Option(names = "--hostfile", paramLabel = "FILE",
        description = "Run tasks on the hosts in FILE: one per line, once per slot "
            + "(PBS_NODEFILE), or N/host, host:N, host slots=N lines.")
    java.io.File hostfile;

    @Option(names = "--hosts", paramLabel = "LIST|auto",
        description = "Run tasks on these hosts (h1,h2:8,4/h3); auto: the batch job's nodes "
            + "(PBS_NODEFILE, or SLURM_JOB_NODELIST with its CPUs per node). A host without a "
            + "count gets -P slots, else as many as this node's CPUs. -P caps each host.")
    String hosts;

    @Option(names = "--launcher", paramLabel = "ssh|srun|pbsdsh|TEMPLATE",
        description = "How a task starts on its host (default ssh: ssh -o BatchMode=yes -x "
            + "HOST 'command'; one shared connection per host; same directory and JPACK_* "
            + "variables there). srun: each task a "
            + "job step on its node; pbsdsh: PBS's TM launcher. TEMPLATE: a command such as "
            + "'ssh -p 2222' or 'srun -w {host} sh -c' that takes the host (appended, or at "
            + "{host}) and the command as ssh does. Exit 255 from ssh or a template is a failed "
            + "launch: the task runs elsewhere; a host failing 3 times in a row is dropped.")
    String launcher;

    @Option(names = "--env", paramLabel = "NAME[,NAME...]",
        description = "Pass these variables of jpack's environment to the remote tasks too "
            + "(they get the JPACK_* ones and their login's own); repeatable.")
    List<String> env = new ArrayList<>();
  }

  static final class OutputOptions {
    @Option(names = {"-k", "--keep-order"},
        description = "Print the tasks' output in input order (each block as soon as every"
            + " earlier task is done).")
    boolean keepOrder;

    @Option(names = "--line-buffer",
        description = "Print whole lines as they come; lines of tasks interleave, never torn.")
    boolean lineBuffer;

    @Option(names = {"-u", "--ungroup"},
        description = "Tasks write straight to jpack's stdout and stderr (as xargs; fastest).")
    boolean ungroup;

    @Option(names = "--tag",
        description = "Start each output line with the task's items and a TAB.")
    boolean tag;

    @Option(names = "--bar",
        description = "On a terminal, one live line: done/total, failed, running, rate, ETA "
            + "(done: succeeded, as in the summary; running: started and not ended).")
    boolean bar;

    @Option(names = "--progress",
        description = "A status line every --progress-interval and at the end (for batch logs:"
            + " plain lines, never a carriage return).")
    boolean progress;

    @Option(names = "--progress-interval", paramLabel = "DURATION",
        description = "How often --progress prints (default 60s).")
    String progressInterval;

    @Option(names = "--status", paramLabel = "FILE",
        description = "Rewrite FILE (atomically, every 5 s and at the end) with a small JSON "
            + "status: counts, running tasks (seq, pid, start), rate, ETA. {shard}: the part.")
    java.io.File status;

    @Option(names = {"-t", "--verbose"},
        description = "Print each command line on stderr before it runs.")
    boolean verbose;
  }

  static final class RestartOptions {
    @Option(names = "--joblog", paramLabel = "FILE",
        description = "Append a line per finished task to FILE in GNU parallel's format: "
            + "Seq Host Starttime JobRuntime Send Receive Exitval Signal Command. {shard} in "
            + "FILE is the --shard part: log.{shard}.tsv.")
    java.io.File joblog;

    @Option(names = "--resume",
        description = "Skip the tasks the --joblog already has; run the rest.")
    boolean resume;

    @Option(names = "--resume-failed",
        description = "Like --resume, but also rerun the tasks the log has as failed.")
    boolean resumeFailed;

    @Option(names = "--force-resume",
        description = "Resume by sequence number even where the logged command differs (the"
            + " input or the command changed).")
    boolean forceResume;

    @Option(names = "--fsync", description = "Force each job-log line to disk.")
    boolean fsync;

    @Option(names = "--retries", paramLabel = "N",
        description = "Run a failed task up to N more times; the log shows the last attempt.")
    String retries;

    @Option(names = "--timeout", paramLabel = "DURATION",
        description = "Stop a task (its whole process tree: TERM, then KILL after "
            + "--term-grace) that runs longer than DURATION (90s, 10m, 2h) or N%% of the "
            + "median runtime of the successful tasks so far. It counts as failed.")
    String timeout;

    @Option(names = "--halt", paramLabel = "WHEN,WHAT=N",
        description = "Stop early as GNU parallel does: never, soon,fail=N, now,fail=N, "
            + "soon,fail=N%%, now,success=N, soon,done=N (soon: start nothing more; now: also "
            + "stop the running tasks). never also runs on after exit 255 or a signal.")
    String halt;

    @Option(names = "--term-grace", paramLabel = "DURATION",
        description = "Time between TERM and KILL when jpack stops tasks (default 5s).")
    String termGrace;

    @Option(names = "--deadline", paramLabel = "TIME",
        description = "When the run must be over: a duration from now (2h, 90m), a time "
            + "(14:30, 2026-11-25T14:30, @EPOCH), or none. Default: the end of the Slurm or "
            + "PBS job jpack runs in (squeue or qstat: 2 s at most, a warning if they fail). "
            + "Near it jpack starts only tasks that can finish, stops the running ones just "
            + "before it and exits 75: run again with --resume.")
    String deadline;

    @Option(names = "--summary",
        description = "Always end with the summary line: tasks done, failed, killed by jpack, "
            + "skipped (N+ when the input was not read to its end), time. By default it is "
            + "printed when something failed or was left undone.")
    boolean summary;
  }

  static final class OtherOptions {
    @Option(names = {"-p", "--interactive"},
        description = "Ask on the terminal before each command (implies -t).")
    boolean interactive;

    @Option(names = {"-o", "--open-tty"},
        description = "Tasks read the terminal (/dev/tty) instead of /dev/null.")
    boolean openTty;

    @Option(names = "--show-limits", description = "Print the command-line size limits.")
    boolean showLimits;

    @Option(names = "--debug", description = "Show stack traces for internal errors, and what "
            + "jpack probed and why it runs P at once (as JPACK_LOG=debug does).")
    boolean debug;

    @Option(names = "--help", usageHelp = true, description = "Print this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Option(names = "--cds-training", hidden = true)
    boolean cdsTraining;
  }
}
