package jpack.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jpack.config.Deadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The batch job's end from qstat -f output, and queries that fail or hang. */
class BatchJobTest {
  private static Instant local(String iso) {
    return LocalDateTime.parse(iso).atZone(ZoneId.systemDefault()).toInstant();
  }

  @Test
  void pbsProStime() {
    assertEquals(local("2026-11-25T12:00:00"), BatchJob.pbsDeadline("Job Id: 12.srv\n"
        + "    Resource_List.walltime = 02:00:00\n    stime = Wed Nov 25 10:00:00 2026\n"));
  }

  /** Torque writes start_time, not stime: before, its jobs counted from jpack's start. */
  @Test
  void torqueStartTimeAndDaysInTheWalltime() {
    assertEquals(local("2026-11-26T11:30:00"), BatchJob.pbsDeadline("Job Id: 7.torque\n"
        + "    Resource_List.walltime = 1:01:30:00\n"
        + "    start_time = Wed Nov 25 10:00:00 2026\n    start_count = 1\n"));
    assertNull(BatchJob.pbsDeadline("    Resource_List.walltime = 01:00:00\n"), "no start");
  }

  @Test
  @Timeout(20)
  void aHangingQueryIsGivenUpAfterItsLimit() {
    long t0 = System.nanoTime();
    BatchJob.Answer a = BatchJob.query(Duration.ofMillis(500), "sh", "-c", "sleep 30; echo late");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertNull(a.out());
    assertEquals("did not answer within 500 ms", a.error());
    assertTrue(ms < 3000, ms + " ms");
  }

  @Test
  @Timeout(20)
  void aFailingQueryTellsItsExitAndFirstErrorLine() {
    BatchJob.Answer a = BatchJob.query(Duration.ofSeconds(10), "sh", "-c",
        "echo 'slurm_load_jobs error: Invalid job id specified' >&2; echo more >&2; exit 1");
    assertEquals("failed (exit 1: slurm_load_jobs error: Invalid job id specified)", a.error());
    BatchJob.Answer missing = BatchJob.query(Duration.ofSeconds(10), "jpack-no-such-squeue");
    assertEquals("failed: jpack-no-such-squeue is not on PATH", missing.error());
  }

  @Test
  void deadlineSources() {
    List<String> warnings = new ArrayList<>();
    Deadline slurm = BatchJob.deadline(Map.of("SLURM_JOB_END_TIME", "1800000000",
        "SLURM_JOB_ID", "5"), Instant.EPOCH, warnings::add, ProcessHandle.current());
    assertEquals(Instant.ofEpochSecond(1800000000L), slurm.at());
    assertEquals("SLURM_JOB_END_TIME", slurm.source());
    Deadline none = BatchJob.deadline(Map.of(), Instant.EPOCH, warnings::add,
        ProcessHandle.current());
    assertNull(none.at());
    assertEquals("not in a Slurm or PBS job", none.source());
    assertEquals(List.of(), warnings);
  }
}
