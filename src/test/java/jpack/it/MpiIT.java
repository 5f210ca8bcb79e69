package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One jpack per process of a real Open MPI mpirun (as `mpirun --map-by ppr:1:node` starts one per
 * node under PBS): --shard auto takes the rank. Skips without mpirun unless JPACK_REQUIRE_MPI is
 * set (CI).
 */
@Timeout(120)
class MpiIT {
  @Test
  void mpirunRanksSplitOneInput(@TempDir Path dir) throws Exception {
    boolean installed = Files.isExecutable(Path.of("/usr/bin/mpirun"));
    assumeTrue(installed || System.getenv("JPACK_REQUIRE_MPI") != null,
        "mpirun is not installed (openmpi-bin)");
    StringBuilder items = new StringBuilder();
    for (int i = 1; i <= 9; i++) {
      items.append("item").append(i).append('\n');
    }
    Files.writeString(dir.resolve("tasks.txt"), items);
    Map<String, String> env = new HashMap<>();
    env.put("OMPI_ALLOW_RUN_AS_ROOT", "1"); // CI runs as root
    env.put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    Proc.Result r = Proc.run(new String[] {"mpirun", "--oversubscribe", "-n", "2", Proc.JPACK,
        "--shard", "auto", "-a", "tasks.txt", "-L", "1", "--joblog", "log.{shard}.tsv", "sh",
        "-c", "echo $1 rank $OMPI_COMM_WORLD_RANK", "sh"}, null, env, dir.toFile(),
        Duration.ofSeconds(100));
    assertEquals(0, r.code(), r.err());
    List<String> lines = Proc.sortedLines(r.out());
    assertEquals(9, lines.size(), r.out());
    Map<String, Integer> perRank = new HashMap<>();
    for (String l : lines) {
      String[] f = l.split(" ");
      int n = Integer.parseInt(f[0].substring(4));
      assertEquals(String.valueOf((n - 1) % 2), f[2], "task seq modulo 2 picks the rank: " + l);
      perRank.merge(f[2], 1, Integer::sum);
    }
    assertEquals(Map.of("0", 5, "1", 4), perRank);
    assertTrue(Files.exists(dir.resolve("log.1.tsv")) && Files.exists(dir.resolve("log.2.tsv")));
  }

  /** mpirun -np 1 jpack --shard auto, a one-node trial of one jpack per node: part 1 of 1. */
  @Test
  void oneMpirunRankIsPartOneOfOne(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/mpirun"))
        || System.getenv("JPACK_REQUIRE_MPI") != null, "mpirun is not installed (openmpi-bin)");
    Map<String, String> env = new HashMap<>();
    env.put("OMPI_ALLOW_RUN_AS_ROOT", "1");
    env.put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    Proc.Result r = Proc.run(new String[] {"mpirun", "-n", "1", Proc.JPACK, "--shard", "auto",
        "-n", "1", "sh", "-c", "echo $1 $JPACK_SHARD", "sh"}, "a\nb\n".getBytes(StandardCharsets.US_ASCII),
        env, dir.toFile(), Duration.ofSeconds(100));
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("a 1/1", "b 1/1"), Proc.sortedLines(r.out()));
  }
}
