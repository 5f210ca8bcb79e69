package jpack.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jpack.config.ExitStatus;
import picocli.AutoComplete;

/**
 * Writes the man page (roff, from {@link Opt} and {@link ExitStatus}) and the bash completion (from
 * the picocli model built from them) at build time, so neither can drift from the options:
 * {@code DocGen OUTDIR} makes OUTDIR/man/jpack.1 and OUTDIR/completion/jpack.
 */
public final class DocGen {
  private DocGen() {}

  public static void main(String[] args) throws IOException {
    Path outDir = Path.of(args.length > 0 ? args[0] : "target");
    Path man = outDir.resolve("man/jpack.1");
    Files.createDirectories(man.getParent());
    Files.writeString(man, manPage(version()), StandardCharsets.UTF_8);
    Path completion = outDir.resolve("completion/jpack");
    Files.createDirectories(completion.getParent());
    Files.writeString(completion, completion(), StandardCharsets.UTF_8);
  }

  private static String version() {
    String v = DocGen.class.getPackage().getImplementationVersion();
    return v == null ? System.getProperty("jpack.version", "") : v;
  }

  /** Every visible option of the CLI (for the tests that check the docs list them all). */
  public static List<String> optionNames() {
    List<String> names = new ArrayList<>();
    for (Opt o : Opt.values()) {
      if (!o.hidden()) {
        names.add(o.longName);
      }
    }
    return names;
  }

  /** The bash completion script. */
  static String completion() {
    return AutoComplete.bash("jpack", Cli.commandLine());
  }

  static String esc(String s) {
    String t = s.replace("\\", "\\e").replace("-", "\\-");
    return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
  }

  static String manPage(String version) {
    StringBuilder m = new StringBuilder();
    m.append(".TH JPACK 1 \"\" \"jpack ").append(esc(version)).append("\" \"User Commands\"\n");
    m.append(".SH NAME\njpack \\- run a command for every input item, many at once:"
        + " xargs for job packing\n");
    m.append(".SH SYNOPSIS\n.B jpack\n[\\fIOPTION\\fR]... [\\fICOMMAND\\fR"
        + " [\\fIINITIAL\\-ARGS\\fR]...]\n");
    m.append(".SH DESCRIPTION\n");
    m.append(esc(HelpModel.DESCRIPTION)).append('\n');
    m.append(".PP\njpack accepts every option of GNU xargs 4.9 with the same meaning, and adds"
        + " output control, restartability (a job log, resume, retries, timeouts, signals and"
        + " deadlines) and awareness of PBS and Slurm allocations.\n");
    m.append(".SH OPTIONS\n");
    for (Opt.Group g : Opt.Group.values()) {
      m.append(".SS ").append(esc(g.heading)).append('\n');
      if (g.intro != null) {
        m.append(esc(g.intro)).append('\n');
      }
      for (Opt o : Opt.values()) {
        if (o.group != g || o.hidden()) {
          continue;
        }
        m.append(".TP\n");
        List<String> names = new ArrayList<>();
        for (String n : o.names()) {
          names.add("\\fB" + esc(n) + "\\fR");
        }
        m.append(String.join(", ", names));
        if (o.takesValue()) {
          m.append(" \\fI").append(esc(o.label)).append("\\fR");
        }
        m.append('\n').append(esc(o.help)).append('\n');
      }
    }
    m.append(".SH EXIT STATUS\n");
    for (Map.Entry<String, String> c : ExitStatus.documented().entrySet()) { // the one table
      m.append(".TP\n.B ").append(esc(c.getKey())).append('\n').append(esc(c.getValue()))
          .append('\n');
    }
    m.append(".SH ENVIRONMENT\n");
    String[][] env = {
      {"JPACK_SEQ", "set for every task: its position in the input, from 1"},
      {"JPACK_SLOT", "set for every task: its slot, 0..P-1, unique among running tasks"},
      {"JPACK_HOST", "set for every task run with --hosts or --hostfile: the host it runs on"
          + " (JPACK_SLOT is then its slot on that host)"},
      {"JPACK_SHARD", "set for every task of a run with --shard: its part, K/N (3/21)"},
      {"JPACK_LINE", "set for every task of --commands: the number of its line in the file"},
      {"JPACK_WORKER", "set to 1 in the environment of --worker workers (which get JPACK_SLOT"
          + " but not JPACK_SEQ)"},
      {"JPACK_RUN", "set by the launcher and inherited by every task: the run's mark, by which"
          + " the watchdog finds the tasks of a jpack that was killed outright; a nested jpack"
          + " appends its own after a comma, so its tasks go with every run above it"},
      {"OMP_NUM_THREADS, CUDA_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES, HIP_VISIBLE_DEVICES",
          "set for each task with --cpus-per-task and --gpus-per-task"},
      {"TMPDIR", "where grouped output is spooled"},
      {"NCPUS, PBS_NCPUS, PBS_NUM_PPN, PBS_NP", "PBS Pro, Torque: the CPUs of the allocation"
          + " (tasks at once without -P; PBS_NP only in a one-node job), never more than the CPU"
          + " affinity and the cgroup CPU quota allow"},
      {"PBS_JOBID, PBS_WALLTIME", "PBS: the job, for the deadline: the walltime (qstat -f, or"
          + " Torque's PBS_WALLTIME) counted from the job's start (qstat -f's stime or"
          + " start_time, else the start of the job shell, the topmost ancestor process with this"
          + " PBS_JOBID)"},
      {"PBS_ARRAY_INDEX, PBS_ARRAYID", "PBS Pro (qsub -J), Torque (qsub -t): the array"
          + " index for --shard auto/N; N, or the indices, must be given"},
      {"PBS_NODEFILE", "PBS: the job's nodes, one line per slot, for --hosts auto"},
      {"SLURM_JOB_NODELIST, SLURM_JOB_CPUS_PER_NODE", "Slurm: the job's nodes and their CPUs,"
          + " for --hosts auto"},
      {"SLURM_CPUS_ON_NODE, SLURM_JOB_CPUS_PER_NODE", "Slurm: the CPUs of the allocation"
          + " (never more than the CPU affinity and the cgroup CPU quota allow)"},
      {"SLURM_STEP_ID, SLURM_CPUS_PER_TASK, SLURM_STEP_TASKS_PER_NODE, SLURM_NODEID", "Slurm,"
          + " in a task of an srun step: its CPUs (SLURM_CPUS_PER_TASK, else the node's over"
          + " the step's tasks on it) and its share of the node's memory"},
      {"SLURM_MEM_PER_NODE, SLURM_MEM_PER_CPU, SLURM_MEM_PER_GPU, SLURM_GPUS_ON_NODE",
          "Slurm: memory (MB; per GPU times the node's GPUs), for --mem-per-task"},
      {"SLURM_JOB_END_TIME, SLURM_JOB_ID", "Slurm: the job's end (or squeue's), for the deadline"},
      {"SLURM_ARRAY_TASK_ID", "Slurm: the array index, the part for --shard auto/N"},
      {"SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_MAX, SLURM_ARRAY_TASK_STEP,"
          + " SLURM_ARRAY_TASK_COUNT", "Slurm: the array's indices for a plain --shard auto,"
          + " used only for a whole range from 0 or 1 with more than one element"},
      {"SLURM_PROCID, SLURM_NTASKS, SLURM_STEP_ID", "Slurm: the part for --shard auto when"
          + " one srun step starts several jpacks (only inside a step)"},
      {"OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_SIZE, PMI_RANK, PMI_SIZE", "mpirun (Open MPI;"
          + " MPICH, Intel MPI): the part for --shard auto when mpirun starts several jpacks"},
      {"JPACK_JAVA, JPACK_JAVA_OPTS", "the java binary and extra JVM flags the launcher uses"},
      {"JPACK_LOG", "debug: jpack's own diagnostics on stderr (what it probed, why it runs P"
          + " tasks at once, where the deadline came from), as with --debug"},
      {"JPACK_SPAWN_HELPER", "off: start every task with the JVM's ProcessBuilder instead of"
          + " jpack-spawn (the small task starter beside the jar); a path: that jpack-spawn"},
    };
    for (String[] e : env) {
      m.append(".TP\n.B ").append(esc(e[0])).append('\n').append(esc(e[1])).append('\n');
    }
    m.append(".SH FILES\n.TP\n.I FILE of \\-\\-joblog\n")
        .append("One TAB-separated line per finished task: Seq Host Starttime JobRuntime Send"
            + " Receive Exitval Signal Command (GNU parallel's format).\n")
        .append(".TP\n.I FILE.usage\nWhat each task used, one line per task with figures:"
            + " Seq Host Starttime MaxRSSkB UserSec SysSec OOM (ru_maxrss: the largest single"
            + " process of the task, not the sum; empty where unknown; OOM 1: killed for lack"
            + " of memory).\n")
        .append(".TP\n.I $TMPDIR/jpack\\-*\nThe spool of grouped output, removed at exit.\n")
        .append(".TP\n.I jpack\\-spawn\nBeside jpack.jar: the task starter, built when a C"
            + " compiler was there; without it tasks start through the JVM, slower.\n");
    m.append(".SH EXAMPLES\n");
    String[][] ex = {
      {"jpack -a greetings.txt -L 1 -P 8 ./greet.sh", "20 greetings, 8 at a time."},
      {"cd $PBS_O_WORKDIR; jpack -a tasks.txt -L 1 ./task.sh",
          "In a PBS job: one task per line, as many at once as the job has CPUs (NCPUS)."},
      {"sbatch --array=1-10 --wrap 'jpack --shard auto/10 -a tasks.txt -L 1 --joblog"
          + " log.{shard}.tsv ./task.sh'", "A Slurm job array: each of the 10 parts runs every"
          + " tenth task. The same line with --array=3 reruns part 3 alone."},
      {"srun --ntasks-per-node=1 jpack --shard auto -a tasks.txt -L 1 ./task.sh",
          "Several Slurm nodes: one jpack per node, each running its share of the tasks."},
      {"jpack --hosts auto -a tasks.txt -L 1 ./task.sh", "One jpack spreading the"
          + " tasks over the job's nodes (PBS_NODEFILE or Slurm's node list) with ssh."},
      {"jpack -a tasks.txt -L 1 --joblog run.tsv --resume ./task.sh; [ $? = 75 ] && sbatch"
          + " job.sh", "Restartable: after a walltime stop (exit 75) or a kill, the same command"
          + " runs only what is left."},
      {"find . -name '*.fits' -print0 | jpack -0 -n 1 --joblog run.tsv ./reduce.sh",
          "One task per file, every CPU, a job log."},
    };
    for (String[] e : ex) {
      m.append(".PP\n.nf\n").append(esc(e[0])).append("\n.fi\n").append(esc(e[1])).append('\n');
    }
    m.append(".SH SEE ALSO\n.BR xargs (1),\n.BR parallel (1)\n");
    return m.toString();
  }
}
