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

/** Small contract breaks: exit statuses and one-line messages, GNU xargs as the oracle. */
@Timeout(120)
class MessagesIT {
  @TempDir Path tmp;

  private static Proc.Result sh(String script, Map<String, String> env) throws Exception {
    return Proc.run(new String[] {"sh", "-c", script}, null, env, null, Duration.ofSeconds(60));
  }

  @Test
  void ungroupedOutputIntoAClosedPipeEndsQuietlyWith141() throws Exception {
    for (int round = 0; round < 3; round++) {
      Proc.Result rc = sh("seq 1000 | (" + Proc.JPACK + " -u -n1 -P2 echo; echo $? >&2)"
          + " | head -1 >/dev/null", Map.of());
      assertEquals("141\n", rc.err(), "exit 141 and nothing else on stderr");
    }
  }

  @Test
  void dashXWithoutDashNOrDashLSplitsAsXargsDoes() throws Exception {
    String in = "printf 'a b\\nc STOP d\\ne\\n' | ";
    Proc.Result jpack = sh(in + Proc.JPACK + " -x -s 14 echo x", Map.of());
    Proc.Result xargs = sh(in + "xargs -x -s 14 echo x", Map.of());
    assertEquals(xargs.code(), jpack.code(), jpack.err());
    assertEquals(xargs.out(), jpack.out());
    assertEquals("x a b c\nx STOP d\nx e\n", jpack.out());
  }

  @Test
  void argFileDashIsStandardInputAsInXargs() throws Exception {
    Proc.Result jpack = sh("printf 'a\\nb\\n' | " + Proc.JPACK + " -a - -n1 echo", Map.of());
    Proc.Result xargs = sh("printf 'a\\nb\\n' | xargs -a - -n1 echo", Map.of());
    assertEquals(xargs.code(), jpack.code(), jpack.err());
    assertEquals(xargs.out(), jpack.out());
  }

  @Test
  void aMissingTmpdirIsNamed() throws Exception {
    Proc.Result r = sh("echo x | " + Proc.JPACK + " echo", Map.of("TMPDIR", "/nonexistent-dir"));
    assertEquals(1, r.code(), r.err());
    assertEquals("jpack: cannot make the spool directory in $TMPDIR ('/nonexistent-dir'): No such"
        + " file or directory (the directory '/nonexistent-dir' does not exist)\n", r.err());
    assertTrue(r.out().isEmpty());
  }

  @Test
  void lineBufferIsHonouredWithoutDashPAndRefusedWithDashK() throws Exception {
    // task 1 prints, then waits until task 2 has printed: only line buffering lets that end
    Path flag = tmp.resolve("flag");
    Proc.Result r = sh("printf '1\\n2\\n' | " + Proc.JPACK + " --line-buffer -n 1 sh -c"
        + " 'if [ $0 = 1 ]; then echo one; while [ ! -e " + flag + " ]; do sleep 0.02; done;"
        + " else sleep 0.2; echo two; touch " + flag + "; fi'", Map.of());
    assertEquals(0, r.code(), r.err());
    assertEquals("one\ntwo\n", r.out());
    Proc.Result k = sh("echo 1 | " + Proc.JPACK + " --line-buffer -k echo", Map.of());
    assertEquals(1, k.code());
    assertTrue(k.err().startsWith("jpack: --line-buffer and -k cannot be used together"),
        k.err());
  }

  @Test
  void aDeletedWorkingDirectoryIsOneLineNotAJvmTrace() throws Exception {
    Path gone = tmp.resolve("gone");
    Files.createDirectory(gone);
    Proc.Result r = sh("cd " + gone + " && rmdir " + gone + " && echo x | " + Proc.JPACK
        + " echo", Map.of());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().endsWith("jpack: the working directory no longer exists (it was deleted"
        + " or moved): cd to one that does\n"), r.err());
    assertTrue(!r.err().contains("java.lang"), r.err());
  }

  @Test
  void onlyJpacksOwnDebugOptionShowsStackTraces() throws Exception {
    // -p without a terminal is an error of jpack's own: a trace only with jpack's --debug
    Proc.Result task = sh("echo x | setsid " + Proc.JPACK + " -p echo --debug", Map.of());
    assertEquals(1, task.code(), task.err());
    assertEquals(1, task.err().lines().count(), "a task's --debug is the task's: " + task.err());
    Proc.Result own = sh("echo x | setsid " + Proc.JPACK + " --debug -p echo", Map.of());
    assertEquals(1, own.code(), own.err());
    assertTrue(own.err().contains("\tat jpack."), own.err());
  }

  @Test
  void theJvmStartsUnderAnAddressSpaceLimit() throws Exception {
    for (String limit : new String[] {"2000000", "1000000"}) { // PBS vmem, Torque: ulimit -v
      Proc.Result r = Proc.run(new String[] {"sh", "-c", "ulimit -v " + limit + "; seq 300 | "
          + Proc.JPACK + " -n 1 -P 50 sh -c 'sleep 0.05'"}, null, Map.of(), tmp.toFile(),
          Duration.ofSeconds(60));
      assertEquals(0, r.code(), limit + ": " + r.err());
      assertEquals("", r.err());
      try (var left = Files.list(tmp)) {
        assertEquals(java.util.List.of(), left.toList(), "no hs_err file");
      }
    }
  }
}
