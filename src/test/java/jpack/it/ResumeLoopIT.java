package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The resume loop ends: what a job's last words and exit status say. */
@Timeout(120)
class ResumeLoopIT {
  @TempDir Path tmp;

  private Proc.Result jpack(Map<String, String> env, String... args) throws Exception {
    return Proc.run(Proc.prepend(Proc.JPACK, args), null, env, tmp.toFile(),
        Duration.ofSeconds(60));
  }

  @Test
  void aResumeThatSkipsFailedTasksStillSaysTheyFailed() throws Exception {
    Files.writeString(tmp.resolve("in"), "1\n2\n3\n");
    String[] args = {"-a", "in", "-n", "1", "--joblog", "run.tsv", "--resume", "sh", "-c",
        "[ $0 = 2 ] && exit 3; echo $0"};
    Proc.Result first = jpack(Map.of(), args);
    assertEquals(123, first.code(), first.err());
    Proc.Result again = jpack(Map.of(), args);
    assertEquals(123, again.code(), "a resume of a run with a failed task: " + again.err());
    assertEquals("", again.out());
    assertEquals("jpack: 0 done, 0 failed, 0 killed, 0 skipped (3 already done in the job log,"
        + " 1 of them failed), ", again.err().substring(0, again.err().indexOf("elapsed") - 6));
    assertTrue(again.err().contains("; failed: task 2 (see run.tsv); exit 123: some task exited"
        + " with a status from 1 to 125\n"), again.err());
  }

  @Test
  void inABatchJobTheSummaryIsAlwaysPrinted() throws Exception {
    Files.writeString(tmp.resolve("in"), "1\n2\n");
    Proc.Result quiet = jpack(Map.of(), "-a", "in", "-n", "1", "true");
    assertEquals("", quiet.err(), "outside a job, a clean run is silent");
    Proc.Result job = jpack(Map.of("SLURM_JOB_ID", "42", "SLURM_JOB_END_TIME",
        String.valueOf(java.time.Instant.now().getEpochSecond() + 3600)), "-a", "in", "-n", "1",
        "true");
    assertEquals(0, job.code(), job.err());
    assertTrue(job.err().matches("jpack: 2 done, 0 failed, 0 killed, 0 skipped, [0-9.]+ s elapsed;"
        + " exit 0: every task exited 0\n"), job.err());
  }

  @Test
  void aDeadlineInThePastOrTooCloseIsAnErrorNotSeventyFive() throws Exception {
    Files.writeString(tmp.resolve("in"), "1\n");
    Proc.Result past = jpack(Map.of(), "-a", "in", "--deadline", "2020-01-01T00:00", "true");
    assertEquals(1, past.code(), past.err());
    assertTrue(past.err().startsWith("jpack: --deadline '2020-01-01T00:00' is in the past"),
        past.err());
    Proc.Result epoch = jpack(Map.of(), "-a", "in", "--deadline", "@1", "true");
    assertEquals(1, epoch.code(), epoch.err());
    Proc.Result near = jpack(Map.of(), "-a", "in", "--deadline", "4s", "true");
    assertEquals(1, near.code(), near.err());
    assertTrue(near.err().contains("leaves no time for tasks"), near.err());
  }

  @Test
  void aTaskLongerThanTheJobDoesNotAskToBeRunAgain() throws Exception {
    Files.writeString(tmp.resolve("in"), "100\n1\n");
    Proc.Result r = jpack(Map.of(), "-a", "in", "-n", "1", "-P", "2", "--deadline", "5s",
        "--term-grace", "1", "--joblog", "run.tsv", "--resume", "sleep");
    // task 2 finishes: progress, so 75 (run again) is right
    assertEquals(75, r.code(), r.err());
    Proc.Result stuck = jpack(Map.of(), "-a", "in", "-n", "1", "-P", "2", "--deadline", "5s",
        "--term-grace", "1", "--joblog", "run.tsv", "--resume", "sleep");
    assertEquals(1, stuck.code(), "nothing finished: a resubmit-on-75 loop must end: "
        + stuck.err());
    assertTrue(stuck.err().contains("jpack: nothing finished before the deadline: task 1 (sleep"
        + " 100)"), stuck.err());
  }
}
