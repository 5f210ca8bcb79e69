package jpack.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lesson's numbers, worked out by the plan. */
class PlanTest {
  private static final long GIB = 1L << 30;

  private static Plan plan(long tasks, Duration time, long mem, int cpus, int nodeCpus,
      long nodeMem, long perJob) {
    Plan.Request req = new Plan.Request(null, tasks, time, mem, cpus, nodeCpus, nodeMem,
        Duration.ofSeconds(30), perJob, null, List.of("./task.sh"));
    return new Plan(req, null, new Plan.Node(nodeCpus, nodeMem, "given"));
  }

  @Test
  void thousandSixHourTasksOnFortyEightCores() {
    Plan p = plan(1000, Duration.ofHours(6), 0, 1, 48, 192 * GIB, 0);
    assertEquals(48, p.perNode);
    assertEquals(21, p.jobs); // ceil(1000 / 48)
    assertEquals(1, p.waves);
    assertEquals(126, p.nodeHours, 1e-9); // 21 jobs x 6 h
    assertEquals(6000, p.tasks * p.meanS / 3600, 1e-9); // a node a task
    String text = p.text();
    assertTrue(text.contains("126 node-hours"), text);
    assertTrue(text.contains("6,000 node-hours (1,000 nodes x 6 h 00 m)"), text);
    assertTrue(text.contains("21 (a job array) of 1 node, 48 tasks a job, 1 wave"), text);
    assertEquals("6:40:00", Plan.hms(p.walltimeS)); // 6 h + 10 %, to 5 min
  }

  @Test
  void tenGigabyteTasksOnA192GigabyteNode() {
    // jpack keeps ~100 MiB for itself: (192 GiB - 100 MiB) / 10 GiB is still 19
    Plan p = plan(1000, Duration.ofHours(6), 10 * GIB, 1, 48, 192 * GIB, 0);
    assertEquals(19, p.perNodeMem);
    assertEquals(19, p.perNode);
    assertEquals(53, p.jobs); // ceil(1000 / 19)
    assertTrue(p.text().contains("/ 10.0 GB = 19"), p.text());
  }

  @Test
  void tenMillionShortTasksPackedTenThousandToAJob() {
    Plan p = plan(10_000_000, Duration.ofSeconds(20), 0, 1, 32, 128 * GIB, 10_000);
    assertEquals(1000, p.jobs);
    assertEquals(313, p.waves); // ceil(10,000 / 32)
    assertEquals(1.74, p.jobS / 3600, 0.01); // ~1.7 h a job
    assertEquals(55_600, p.heldCoreHours(), 100); // 1,000 x 1.74 h x 32
    assertEquals(55_556, p.workCoreHours, 1); // 10 M x 20 s
    // one job a task: 10 M jobs of 30 s each for the scheduler, ~9.6 years
    assertTrue(p.text().contains("10,000,000 x 30.0 s"), p.text());
  }

  @Test
  void shortTasksGetJobsOfAboutFourHours() {
    Plan p = plan(100_000, Duration.ofMinutes(10), 0, 1, 48, 0, 0);
    assertEquals(48 * 24, p.tasksPerJob); // 24 waves of 10 min
    assertEquals(87, p.jobs);
  }

  @Test
  void aMeasuredSpreadWidensTheWalltime() {
    Plan.Request req = new Plan.Request(null, 480, null, 0, 1, 48, 0, Duration.ofSeconds(30), 0,
        null, List.of());
    Plan p = new Plan(req, new Plan.Measured(50, 3600, 4000, 5400, 1024 * 1024),
        new Plan.Node(48, 192 * GIB, "given"));
    assertEquals(192, p.tasksPerJob); // 1 h tasks: 4 waves of 48 make a job of about 4 h
    assertEquals(3, p.jobs);
    assertEquals(3 * 3600 + 5400, p.jobS, 1e-9); // three waves at the mean, the slowest last
    assertTrue(p.walltimeS >= p.jobS * 1.1 + 1800, "margin for the spread");
    assertEquals((long) (1024 * 1024 * 1024 * 1.25) + (8L << 20), p.memPerTask);
  }

  @Test
  void aTaskBiggerThanTheNodeIsRefusedInOneLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> plan(10, Duration.ofHours(1), 200 * GIB, 1, 48, 192 * GIB, 0));
    assertTrue(e.getMessage().startsWith("--mem-per-task 200.0 GB: a node has 192.0 GB"),
        e.getMessage());
  }

  @Test
  void theScriptIsAnArrayWithTheShardAndTheLog() {
    Plan p = plan(1000, Duration.ofHours(6), 10 * GIB, 1, 48, 192 * GIB, 0);
    String slurm = PlanScript.render(p, "slurm", List.of("--arg-file=tasks.txt",
        "--max-lines=1", "./task.sh"));
    assertTrue(slurm.startsWith("#!/bin/bash\n# jpack plan: 1,000 tasks"), slurm);
    assertTrue(slurm.contains("#SBATCH --array=1-53\n"), slurm);
    assertTrue(slurm.contains("#SBATCH --cpus-per-task=48\n"), slurm);
    assertTrue(slurm.contains("#SBATCH --mem=191G\n"), slurm);
    assertTrue(slurm.contains("#SBATCH --time=6:40:00\n"), slurm);
    assertTrue(slurm.contains("\njpack --shard auto/53 --joblog log.{shard}.tsv --resume"
        + " --arg-file=tasks.txt --max-lines=1 ./task.sh\n"), slurm);
    String pbs = PlanScript.render(p, "pbs", List.of("./task.sh", "a b"));
    assertTrue(pbs.contains("#PBS -J 1-53\n#PBS -l select=1:ncpus=48:mem=191gb\n"), pbs);
    assertTrue(pbs.contains("cd \"$PBS_O_WORKDIR\"\n"), pbs);
    assertTrue(pbs.endsWith(" ./task.sh 'a b'\n"), pbs);
    Plan one = plan(40, Duration.ofHours(1), 0, 1, 48, 0, 0);
    String single = PlanScript.render(one, "slurm", List.of());
    assertTrue(!single.contains("--array") && single.contains("\njpack --joblog log.tsv --resume"
        + " --commands cmds.txt\n"), single);
  }
}
