package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep's product is never built (issue 20): 10,000 values × 1,000 values, ten million tasks,
 * start their first task at once in a 64 MiB heap, and are all walked (another shard's rows
 * skipped) in 32 MiB. Materialised, the product would not fit either heap.
 */
@Timeout(300)
class SweepStreamingIT {
  @TempDir Path tmp;

  @BeforeEach
  void sources() throws Exception {
    StringBuilder a = new StringBuilder();
    for (int i = 1; i <= 10_000; i++) {
      a.append(i).append('\n');
    }
    Files.writeString(tmp.resolve("a"), a);
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 1_000; i++) {
      b.append(i).append('\n');
    }
    Files.writeString(tmp.resolve("b"), b);
  }

  @Test
  void theFirstTaskOfTenMillionStartsAtOnceInASmallHeap() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Proc.JPACK, "--placeholders", "-k", "-P", "2", "echo",
        "{1}", "{2}", "::::", "a", "::::", "b")
        .directory(tmp.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectError(tmp.resolve("err").toFile());
    pb.environment().put("JPACK_JAVA_OPTS", "-Xmx64m");
    Process p = pb.start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.ISO_8859_1))) {
      // awaited, not timed: the read returns when the first task has printed (@Timeout bounds it)
      assertEquals("1 1", out.readLine());
      for (int j = 2; j <= 1_000; j++) {
        assertEquals("1 " + j, out.readLine());
      }
      assertEquals("2 1", out.readLine()); // the product goes on to the first source's next
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    String err = Files.readString(tmp.resolve("err"));
    assertEquals(false, err.contains("OutOfMemory") || err.contains("out of memory"), err);
  }

  @Test
  void allTenMillionRowsAreWalkedInThirtyTwoMegabytes() throws Exception {
    Proc.Result r = Proc.run(new String[] {Proc.JPACK, "--placeholders", "-k", "--shard",
        "1/1000000", "echo", "{1}", "{2}", "{#}", "::::", "a", "::::", "b"}, null,
        Map.of("JPACK_JAVA_OPTS", "-Xmx32m"), tmp.toFile(), Duration.ofSeconds(240));
    List<String> expected = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      expected.add((k * 1000 + 1) + " 1 " + (k * 1_000_000L + 1));
    }
    assertEquals(0, r.code(), r.err());
    assertEquals(expected, r.out().lines().toList());
  }
}
