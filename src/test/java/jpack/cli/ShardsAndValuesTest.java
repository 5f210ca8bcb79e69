package jpack.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jpack.config.Halt;
import jpack.config.SystemLimits;
import org.junit.jupiter.api.Test;

class ShardsAndValuesTest {
  @Test
  void explicitShards() throws Exception {
    assertArrayEquals(new long[] {2, 3}, Shards.parse("2/3", Map.of()));
    assertThrows(UsageException.class, () -> Shards.parse("4/3", Map.of()));
    assertThrows(UsageException.class, () -> Shards.parse("0/3", Map.of()));
    assertThrows(UsageException.class, () -> Shards.parse("auto", Map.of()));
  }

  /** Slurm's variables for element id of an array MIN-MAX:STEP of COUNT elements. */
  private static Map<String, String> slurm(long id, long min, long max, long step, long count) {
    Map<String, String> env = new HashMap<>();
    env.put("SLURM_ARRAY_TASK_ID", String.valueOf(id));
    env.put("SLURM_ARRAY_TASK_MIN", String.valueOf(min));
    env.put("SLURM_ARRAY_TASK_MAX", String.valueOf(max));
    env.put("SLURM_ARRAY_TASK_STEP", String.valueOf(step));
    env.put("SLURM_ARRAY_TASK_COUNT", String.valueOf(count));
    return env;
  }

  private static Map<String, String> with(Map<String, String> env, String... kv) {
    Map<String, String> all = new HashMap<>(env);
    for (int i = 0; i < kv.length; i += 2) {
      all.put(kv[i], kv[i + 1]);
    }
    return all;
  }

  private static String refusal(String spec, Map<String, String> env) {
    return assertThrows(UsageException.class, () -> Shards.parse(spec, env),
        spec + " " + env).getMessage();
  }

  @Test
  void slurmArrayAndSrunTasksCombine() throws Exception {
    assertArrayEquals(new long[] {3, 4}, Shards.parse("auto", slurm(3, 1, 4, 1, 4)));
    Map<String, String> both = with(slurm(1, 0, 2, 1, 3), "SLURM_PROCID", "1", "SLURM_NTASKS",
        "2", "SLURM_STEP_ID", "0");
    assertArrayEquals(new long[] {4, 6}, Shards.parse("auto", both));
    assertArrayEquals(new long[] {4, 6}, Shards.parse("auto/0-2", both));
    assertArrayEquals(new long[] {2, 2}, Shards.parse("auto",
        Map.of("SLURM_PROCID", "1", "SLURM_NTASKS", "2", "SLURM_STEP_ID", "3")));
  }

  /** --array=1-9:2: the five elements are the five parts (before: 2 and 4 never ran). */
  @Test
  void aSteppedArraysPartsAreItsIndicesInOrder() throws Exception {
    Set<Long> parts = new HashSet<>();
    for (long id = 1; id <= 9; id += 2) {
      long[] kn = Shards.parse("auto", slurm(id, 1, 9, 2, 5));
      assertEquals(5, kn[1], "N for element " + id);
      assertEquals((id + 1) / 2, kn[0], "K for element " + id);
      parts.add(kn[0]);
    }
    assertEquals(Set.of(1L, 2L, 3L, 4L, 5L), parts);
    for (long id = 1; id <= 9; id += 2) {
      long[] kn = {(id + 1) / 2, 5};
      assertArrayEquals(kn, Shards.parse("auto/1-9:2", slurm(id, 1, 9, 2, 5)));
      assertArrayEquals(kn, Shards.parse("auto/1-9:2", slurm(id, id, id, 1, 1)),
          "a rerun of element " + id);
    }
  }

  @Test
  void aZeroBasedArrayIsPartsOneToN() throws Exception {
    assertArrayEquals(new long[] {1, 4}, Shards.parse("auto", slurm(0, 0, 3, 1, 4)));
    assertArrayEquals(new long[] {4, 4}, Shards.parse("auto", slurm(3, 0, 3, 1, 4)));
    assertArrayEquals(new long[] {4, 4}, Shards.parse("auto/0-3", slurm(3, 3, 3, 1, 1)));
    assertTrue(refusal("auto/4", slurm(0, 0, 3, 1, 4)).contains("index 0"),
        "auto/N numbers the parts 1..N");
  }

  /** sbatch --array=3 job.sbatch, the usual fix for one failed part: not "part 1 of 1". */
  @Test
  void aRerunOfOneElementIsRefusedByPlainAutoAndRunsItsOwnPartWithAutoN() throws Exception {
    String why = refusal("auto", slurm(3, 3, 3, 1, 1));
    assertTrue(why.startsWith("--shard auto: ") && why.contains("auto/N"), why);
    assertTrue(!why.contains("\n"), why);
    refusal("auto", slurm(1, 1, 1, 1, 1));
    assertArrayEquals(new long[] {3, 21}, Shards.parse("auto/21", slurm(3, 3, 3, 1, 1)));
    assertArrayEquals(new long[] {3, 21}, Shards.parse("auto/1-21", slurm(3, 3, 3, 1, 1)));
    assertArrayEquals(new long[] {3, 21}, Shards.parse("auto/21", slurm(3, 1, 21, 1, 21)));
    assertArrayEquals(new long[] {3, 21}, Shards.parse("auto/1-21%4", slurm(3, 1, 21, 1, 21)),
        "--array's limit on elements at once is ignored");
  }

  /** --array=3-5 after a first --array=1-21 looks like a whole array; it starts above 1. */
  @Test
  void anArrayStartingAboveOneLooksLikeARerunOfSomeParts() throws Exception {
    String why = refusal("auto", slurm(4, 3, 5, 1, 3));
    assertTrue(why.startsWith("--shard auto: ") && why.contains("index 3"), why);
    assertArrayEquals(new long[] {4, 21}, Shards.parse("auto/21", slurm(4, 3, 5, 1, 3)));
  }

  /** --array=1,5,10: Slurm says MIN=1 MAX=10 STEP=1 COUNT=3 and not which indices. */
  @Test
  void aListedArrayNeedsItsIndices() throws Exception {
    String why = refusal("auto", slurm(1, 1, 10, 1, 3));
    assertTrue(why.startsWith("--shard auto: ") && why.contains("list"), why);
    assertArrayEquals(new long[] {1, 3}, Shards.parse("auto/1,5,10", slurm(1, 1, 10, 1, 3)));
    assertArrayEquals(new long[] {2, 3}, Shards.parse("auto/1,5,10", slurm(5, 1, 10, 1, 3)));
    assertArrayEquals(new long[] {3, 3}, Shards.parse("auto/10,1,5", slurm(10, 1, 10, 1, 3)));
    assertArrayEquals(new long[] {4, 6}, Shards.parse("auto/2-4,8,10-12:2", slurm(8, 8, 8, 1,
        1)));
    assertTrue(refusal("auto/1,5,10", slurm(4, 4, 4, 1, 1)).contains("index 4"));
  }

  /** The indices given must hold the whole array: an element past them is refused everywhere. */
  @Test
  void anArrayLargerThanTheIndicesGivenIsRefusedInEveryElement() throws Exception {
    String why = refusal("auto/21", slurm(5, 1, 42, 1, 42));
    assertTrue(why.startsWith("--shard auto/21: ") && why.contains("42"), why);
    refusal("auto/21", slurm(22, 22, 22, 1, 1));
  }

  @Test
  void invalidIndicesAreRefused() {
    for (String spec : new String[] {"auto/0", "auto/5-3", "auto/1-9:0", "auto/1-5,3-7",
        "auto/x", "auto/", "auto/1,,2", "auto/-3", "auto/99999999999999999999"}) {
      assertTrue(refusal(spec, slurm(1, 1, 3, 1, 3)).startsWith("invalid --shard '" + spec
          + "'"), spec);
    }
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

  /** A one-node trial of the multi-node examples: srun -n 1, mpirun -np 1. */
  @Test
  void aSingleProcessOfSrunOrMpirunIsPartOneOfOne() throws Exception {
    assertArrayEquals(new long[] {1, 1}, Shards.parse("auto",
        Map.of("SLURM_STEP_ID", "0", "SLURM_PROCID", "0", "SLURM_NTASKS", "1")));
    assertArrayEquals(new long[] {1, 1}, Shards.parse("auto",
        Map.of("OMPI_COMM_WORLD_RANK", "0", "OMPI_COMM_WORLD_SIZE", "1")));
    assertArrayEquals(new long[] {1, 1}, Shards.parse("auto",
        Map.of("PMI_RANK", "0", "PMI_SIZE", "1")));
    assertTrue(refusal("auto", Map.of()).startsWith("--shard auto: "));
    refusal("auto", Map.of("SLURM_JOB_ID", "7", "SLURM_PROCID", "0"));
  }

  /** A batch script sees SLURM_NTASKS and SLURM_PROCID=0 too, but it is one process, no step. */
  @Test
  void theBatchScriptOfAManyTaskJobIsNotOneOfSeveralSrunTasks() throws Exception {
    Map<String, String> batch = with(slurm(2, 1, 3, 1, 3), "SLURM_PROCID", "0",
        "SLURM_NTASKS", "4");
    assertArrayEquals(new long[] {2, 3}, Shards.parse("auto", batch));
    assertThrows(UsageException.class, () -> Shards.parse("auto",
        Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "4")));
  }

  @Test
  void pbsArrayNeedsTheCount() throws Exception {
    String why = refusal("auto", Map.of("PBS_ARRAY_INDEX", "3"));
    assertTrue(why.startsWith("--shard auto: ") && why.contains("auto/N"), why);
    assertArrayEquals(new long[] {3, 21}, Shards.parse("auto/21", Map.of("PBS_ARRAY_INDEX",
        "3")));
    assertArrayEquals(new long[] {4, 5}, Shards.parse("auto/1-9:2", Map.of("PBS_ARRAY_INDEX",
        "7")));
    assertTrue(refusal("auto/21", Map.of("PBS_ARRAY_INDEX", "22")).contains("index 22"));
  }

  /** Torque: qsub -t 1-N, the index in PBS_ARRAYID. */
  @Test
  void torqueArrays() throws Exception {
    assertArrayEquals(new long[] {4, 10}, Shards.parse("auto/10", Map.of("PBS_ARRAYID", "4")));
    assertArrayEquals(new long[] {2, 3}, Shards.parse("auto/0-2", Map.of("PBS_ARRAYID", "1")));
    assertTrue(refusal("auto", Map.of("PBS_ARRAYID", "4")).contains("auto/N"));
  }

  /** The config for args in ArgvNormalizer's form (--long=value). */
  private static jpack.config.RunConfig config(Map<String, String> env, List<String> warnings,
      String... args) throws Exception {
    ParsedArgs c = ParsedArgs.parse(List.of(args));
    assertTrue(c != null);
    return ConfigFactory.build(c, null, SystemLimits.of(null, Map.of()), env, warnings::add);
  }

  /** Without --shard, each element of an array would run every task: one line says so. */
  @Test
  void anArrayElementWithoutShardIsWarnedAbout() throws Exception {
    for (Map<String, String> env : List.of(slurm(3, 1, 5, 1, 5), Map.of("PBS_ARRAY_INDEX", "3"),
        Map.of("PBS_ARRAYID", "3"))) {
      List<String> warnings = new ArrayList<>();
      config(env, warnings, "echo");
      assertEquals(1, warnings.size(), env + ": " + warnings);
      assertTrue(warnings.get(0).startsWith("warning: job array element 3 without --shard:")
          && warnings.get(0).contains("every task"), warnings.get(0));
      warnings.clear();
      config(env, warnings, "--shard=auto/5", "echo");
      config(env, warnings, "--shard=1/1", "echo");
      assertEquals(List.of(), warnings, "with --shard: " + env);
    }
    List<String> none = new ArrayList<>();
    config(Map.of("SLURM_JOB_ID", "7"), none, "echo");
    assertEquals(List.of(), none);
  }

  /** Every FILE option names this part's own file; the tasks get JPACK_SHARD=K/N. */
  @Test
  void pathOptionsExpandShardAndTasksGetIt() throws Exception {
    jpack.config.RunConfig cfg = config(slurm(2, 1, 3, 1, 3), new ArrayList<>(),
        "--shard=auto", "--joblog=log.{shard}.tsv", "--status=status.{shard}.json",
        "--hostfile=hosts.{shard}", "echo");
    assertEquals(Path.of("log.2.tsv"), cfg.policy().joblog());
    assertEquals(Path.of("status.2.json"), cfg.progress().statusFile());
    assertEquals(Path.of("hosts.2"), cfg.hosts().hostfile());
    assertEquals(Map.of("JPACK_SHARD", "2/3"), cfg.resources().shardEnv());
    assertEquals(Map.of(), config(Map.of(), new ArrayList<>(), "echo").resources().shardEnv());
    UsageException input = assertThrows(UsageException.class, () -> config(Map.of(),
        new ArrayList<>(), "--shard=1/2", "--arg-file=tasks.{shard}.txt", "echo"));
    assertTrue(input.getMessage().startsWith("--arg-file tasks.{shard}.txt: "), input.getMessage());
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
