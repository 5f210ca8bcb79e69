package jpack.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import jpack.config.Halt;
import org.junit.jupiter.api.Test;

class ShardsAndValuesTest {
  @Test
  void explicitShards() throws Exception {
    assertArrayEquals(new long[] {2, 3}, Shards.parse("2/3", Map.of()));
    assertThrows(UsageException.class, () -> Shards.parse("4/3", Map.of()));
    assertThrows(UsageException.class, () -> Shards.parse("0/3", Map.of()));
    assertThrows(UsageException.class, () -> Shards.parse("auto", Map.of()));
  }

  @Test
  void slurmArrayAndSrunTasksCombine() throws Exception {
    Map<String, String> array = Map.of("SLURM_ARRAY_TASK_ID", "7", "SLURM_ARRAY_TASK_MIN", "5",
        "SLURM_ARRAY_TASK_COUNT", "4");
    assertArrayEquals(new long[] {3, 4}, Shards.parse("auto", array));
    Map<String, String> both = Map.of("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_MIN", "0",
        "SLURM_ARRAY_TASK_COUNT", "3", "SLURM_PROCID", "1", "SLURM_NTASKS", "2",
        "SLURM_STEP_ID", "0");
    assertArrayEquals(new long[] {4, 6}, Shards.parse("auto", both));
    assertArrayEquals(new long[] {2, 2}, Shards.parse("auto",
        Map.of("SLURM_PROCID", "1", "SLURM_NTASKS", "2", "SLURM_STEP_ID", "3")));
  }

  @Test
  void mpirunRanksSplitLikeSrunTasks() throws Exception {
    assertArrayEquals(new long[] {3, 4}, Shards.parse("auto",
        Map.of("OMPI_COMM_WORLD_RANK", "2", "OMPI_COMM_WORLD_SIZE", "4")));
    assertArrayEquals(new long[] {2, 3}, Shards.parse("auto",
        Map.of("PMI_RANK", "1", "PMI_SIZE", "3")));
    assertArrayEquals(new long[] {6, 6}, Shards.parse("auto/3", Map.of("PBS_ARRAY_INDEX", "3",
        "OMPI_COMM_WORLD_RANK", "1", "OMPI_COMM_WORLD_SIZE", "2")),
        "a PBS array job of 3 with two jpacks each (mpirun --map-by ppr:1:node)");
  }

  /** A batch script sees SLURM_NTASKS and SLURM_PROCID=0 too, but it is one process, no step. */
  @Test
  void theBatchScriptOfAManyTaskJobIsNotOneOfSeveralSrunTasks() throws Exception {
    Map<String, String> batch = Map.of("SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_MIN", "1",
        "SLURM_ARRAY_TASK_COUNT", "3", "SLURM_PROCID", "0", "SLURM_NTASKS", "4");
    assertArrayEquals(new long[] {2, 3}, Shards.parse("auto", batch));
    assertThrows(UsageException.class, () -> Shards.parse("auto",
        Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "4")));
  }

  @Test
  void pbsArrayNeedsTheCount() throws Exception {
    assertThrows(UsageException.class, () -> Shards.parse("auto", Map.of("PBS_ARRAY_INDEX",
        "3")));
    assertArrayEquals(new long[] {3, 21}, Shards.parse("auto/21", Map.of("PBS_ARRAY_INDEX",
        "3")));
  }

  @Test
  void durationsAndSizes() throws Exception {
    assertEquals(Duration.ofSeconds(90), Durations.parse("90", "x"));
    assertEquals(Duration.ofSeconds(90), Durations.parse("90s", "x"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m", "x"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s", "x"));
    assertThrows(UsageException.class, () -> Durations.parse("soon", "x"));
    assertEquals(10L << 30, ConfigFactory.size("10G", "x"));
    assertEquals(512L << 20, ConfigFactory.size("512MiB", "x"));
    assertThrows(UsageException.class, () -> ConfigFactory.size("lots", "x"));
  }

  @Test
  void deadlines() throws Exception {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    assertEquals(now.plusSeconds(7200), Durations.deadline("2h", now, ZoneOffset.UTC));
    assertEquals(now.plusSeconds(7200), Durations.deadline("+2h", now, ZoneOffset.UTC));
    assertEquals(Instant.parse("2026-11-25T14:30:00Z"),
        Durations.deadline("14:30", now, ZoneOffset.UTC));
    assertEquals(Instant.parse("2026-11-26T09:00:00Z"),
        Durations.deadline("09:00", now, ZoneOffset.UTC));
    assertEquals(Instant.parse("2026-11-25T12:00:00Z"),
        Durations.deadline("2026-11-25T12:00", now, ZoneOffset.UTC));
    assertEquals(Instant.ofEpochSecond(1800000000),
        Durations.deadline("@1800000000", now, ZoneOffset.UTC));
  }

  @Test
  void haltPolicies() throws Exception {
    Halt h = ConfigFactory.halt("soon,fail=3");
    assertEquals(Halt.When.SOON, h.when());
    assertEquals(false, h.reached(2, 10));
    assertEquals(true, h.reached(3, 10));
    Halt pct = ConfigFactory.halt("now,fail=50%");
    assertEquals(true, pct.reached(2, 2));
    assertEquals(false, pct.reached(1, 2));
    assertEquals(Halt.When.NEVER, ConfigFactory.halt("never").when());
    assertEquals(true, ConfigFactory.halt("now,success=1").reached(0, 1));
    assertThrows(UsageException.class, () -> ConfigFactory.halt("later,fail=1"));
  }
}
