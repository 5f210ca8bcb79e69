package jpack.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plan as a job script to submit as it is: a Slurm or PBS job array (one element a node, each
 * running its part with --shard auto/N into its own job log, --resume so that a rerun element
 * goes on where it stopped), or a single job when one job holds every task. The plan's text is
 * at its top, as comments.
 */
final class PlanScript {
  private PlanScript() {}

  static String render(Plan p, String kind, List<String> runWords) {
    boolean array = p.jobs > 1;
    StringBuilder sb = new StringBuilder("#!/bin/bash\n");
    for (String line : p.text().split("\n")) {
      sb.append("# ").append(line).append('\n');
    }
    long memRequest = p.memPerTask > 0 && p.perNodeMem <= p.perNodeCpu
        ? (long) Math.ceil((p.perNode * p.memPerTask + Plan.OWN_BYTES) / (double) (1L << 30))
        : 0;
    if (p.node.memBytes() > 0) {
      memRequest = Math.min(memRequest, p.node.memBytes() >> 30);
    }
    String wall = Plan.hms(p.walltimeS);
    if (kind.equals("slurm")) {
      sb.append("#SBATCH --job-name=jpack\n");
      if (array) {
        sb.append("#SBATCH --array=1-").append(p.jobs).append('\n');
      }
      sb.append("#SBATCH --nodes=1\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=")
          .append(p.node.cpus()).append('\n');
      if (memRequest > 0) {
        sb.append("#SBATCH --mem=").append(memRequest).append("G\n");
      }
      sb.append("#SBATCH --time=").append(wall).append('\n')
          .append("#SBATCH --output=jpack-%A_%a.out\n");
    } else {
      sb.append("#PBS -N jpack\n");
      if (array) {
        sb.append("#PBS -J 1-").append(p.jobs).append('\n');
      }
      sb.append("#PBS -l select=1:ncpus=").append(p.node.cpus())
          .append(memRequest > 0 ? ":mem=" + memRequest + "gb" : "").append('\n')
          .append("#PBS -l walltime=").append(wall).append('\n')
          .append("#PBS -j oe\n")
          .append("cd \"$PBS_O_WORKDIR\"\n");
    }
    List<String> line = new ArrayList<>();
    line.add("jpack");
    if (array) {
      line.add("--shard");
      line.add("auto/" + p.jobs);
      line.add("--joblog");
      line.add("log.{shard}.tsv");
    } else {
      line.add("--joblog");
      line.add("log.tsv");
    }
    line.add("--resume");
    boolean hasMem = runWords.stream().anyMatch(w -> w.startsWith("--mem-per-task"));
    if (p.memMeasured && p.perNodeMem <= p.perNodeCpu && !hasMem) {
      line.add("--mem-per-task");
      line.add(((p.memPerTask + (1 << 20) - 1) >> 20) + "M");
    }
    boolean command = false;
    for (String w : runWords) {
      line.add(w);
      command |= !w.startsWith("-");
    }
    sb.append("# jpack stops in time for the walltime (exit 75); resubmit to run the rest:\n");
    if (!command && runWords.stream().noneMatch(w -> w.startsWith("--commands")
        || w.startsWith("--arg-file"))) {
      sb.append("# (no command was given to --plan: cmds.txt stands for your task file)\n");
      line.add("--commands");
      line.add("cmds.txt");
    }
    StringBuilder l = new StringBuilder();
    for (String w : line) {
      l.append(l.length() == 0 ? "" : " ").append(quote(w));
    }
    return sb.append(l).append('\n').toString();
  }

  /** A word for sh: as it is when plainly safe, else in single quotes. */
  static String quote(String w) {
    if (!w.isEmpty() && w.matches("[A-Za-z0-9_./:=,+%@{}-]+")) {
      return w;
    }
    return "'" + w.replace("'", "'\\''") + "'";
  }
}
