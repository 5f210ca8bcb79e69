package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What both launchers (./jpack and the installed bin/jpack) see to before the JVM starts: closed
 * standard streams, and the signals the JVM would otherwise keep for itself (issue 15).
 */
@Timeout(180)
class LauncherIT {
  @TempDir static Path prefix;
  @TempDir Path tmp;

  @BeforeAll
  static void install() throws Exception {
    List<Path> archives = new ArrayList<>();
    try (var s = Files.list(Proc.HOME.resolve("target"))) {
      s.filter(p -> p.getFileName().toString().matches("jpack-.*-bin\\.tar\\.gz"))
          .forEach(archives::add);
    }
    assertEquals(1, archives.size(), "one release archive in target/: " + archives);
    Proc.Result r = Proc.run(new String[] {"tar", "-xzf", archives.get(0).toString(), "-C",
        prefix.toString(), "--strip-components=1"}, null, Map.of(), null, Duration.ofSeconds(60));
    assertEquals(0, r.code(), r.err());
  }

  static Stream<String> launchers() {
    return Stream.of(Proc.JPACK, prefix.resolve("bin/jpack").toString());
  }

  private static Proc.Result sh(String script, String stdin) throws Exception {
    return Proc.run(new String[] {"sh", "-c", script}, stdin.getBytes(), Map.of(), null,
        Duration.ofSeconds(60));
  }

  /** GNU xargs: "xargs: error closing file: Bad file descriptor", exit 1, nothing run. */
  @ParameterizedTest
  @MethodSource("launchers")
  void closedStdinIsAnErrorNotTheJvmsOwnFileAsInput(String jpack) throws Exception {
    Proc.Result r = sh("exec " + jpack + " -0 -n 1 echo ran <&-", "");
    assertEquals(1, r.code(), r.err());
    assertEquals("", r.out());
    assertEquals(List.of("jpack: reading the input: standard input is closed"),
        r.err().lines().toList());
  }

  @ParameterizedTest
  @MethodSource("launchers")
  void closedStdinIsNoMatterWhenTheItemsComeFromAFile(String jpack) throws Exception {
    Path items = Files.writeString(tmp.resolve("items"), "a\nb\n");
    Proc.Result r = sh("exec " + jpack + " -a " + items + " -n 1 echo <&-", "");
    assertEquals(0, r.code(), r.err());
    assertEquals("a\nb\n", r.out());
  }

  /** A closed stderr: the tasks' stderr is discarded, the run is fine; stdout is whole. */
  @ParameterizedTest
  @MethodSource("launchers")
  void closedStderrDiscardsTheirStderrAndTheRunGoesOn(String jpack) throws Exception {
    Path log = tmp.resolve("log");
    Proc.Result r = sh("exec " + jpack + " -n 1 -P 2 --joblog " + log
        + " sh -c 'echo out $0; echo err $0 >&2' 2>&-", "1\n2\n3\n");
    assertEquals(0, r.code());
    assertEquals(List.of("out 1", "out 2", "out 3"), Proc.sortedLines(r.out()));
    List<String> lines = Files.readAllLines(log);
    assertEquals(4, lines.size(), lines.toString());
    for (String l : lines) {
      assertEquals(9, l.split("\t", -1).length, l);
    }
  }

  /** A closed stdout: as a failing one, one message and exit 1; no file of jpack's gets output. */
  @ParameterizedTest
  @MethodSource("launchers")
  void closedStdoutIsOneClearError(String jpack) throws Exception {
    Path log = tmp.resolve("log");
    Proc.Result r = sh("exec " + jpack + " -n 1 --joblog " + log + " echo >&-", "1\n2\n");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("jpack: cannot write to standard output: Bad file descriptor"),
        r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    for (String l : Files.readAllLines(log)) {
      assertEquals(9, l.split("\t", -1).length, l);
    }
  }

  /** Whether the signal has been taken by the process (not pending), or the process is gone. */
  private static boolean delivered(long pid, int signal) throws IOException {
    long bit = 1L << (signal - 1);
    List<Path> files = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(t -> files.add(t.resolve("status")));
    } catch (IOException e) {
      return true; // gone
    }
    for (Path f : files) {
      List<String> status;
      try {
        status = Files.readAllLines(f);
      } catch (IOException e) {
        continue; // a thread that ended
      }
      for (String l : status) {
        if ((l.startsWith("SigPnd:") || l.startsWith("ShdPnd:"))
            && (Long.parseUnsignedLong(l.substring(7).trim(), 16) & bit) != 0) {
          return false;
        }
      }
    }
    return true;
  }

  static Stream<Object[]> signalsAndLaunchers() {
    List<Object[]> all = new ArrayList<>();
    for (String jpack : launchers().toList()) {
      all.add(new Object[] {"QUIT", 3, jpack});
      all.add(new Object[] {"USR1", 10, jpack});
      all.add(new Object[] {"USR2", 12, jpack});
    }
    return all.stream();
  }

  /**
   * QUIT, USR1 and USR2 in the middle of a run: it goes on, the tasks finish, exit 0, stdout
   * holds their output only (the JVM's thread dump goes to stderr), no crash file in the
   * working directory.
   */
  @ParameterizedTest
  @MethodSource("signalsAndLaunchers")
  void signalsTheJvmKeepsNeitherCrashNorWriteIntoTheResults(String name, int number,
      String jpack) throws Exception {
    Path started = tmp.resolve("started");
    Path go = tmp.resolve("go");
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    Path work = Files.createDirectories(tmp.resolve("work"));
    Process p = new ProcessBuilder(jpack, "-n", "1", "-P", "2", "sh", "-c", "echo $0 >> "
        + started + "; while [ ! -e " + go + " ]; do sleep 0.05; done; echo $0")
        .directory(work.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(Files.writeString(tmp.resolve("in"), "1\n2\n").toFile()).start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(started) || Files.readAllLines(started).size() < 2) {
        assertTrue(System.nanoTime() < until && p.isAlive(), "the tasks did not start");
        Thread.sleep(20);
      }
      new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start().waitFor();
      while (!delivered(p.pid(), number)) {
        assertTrue(System.nanoTime() < until, "SIG" + name + " stays pending");
        Thread.sleep(20);
      }
      if (name.equals("QUIT")) { // the JVM's dump is written on a thread of its own: await it
        while (p.isAlive() && !(Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1)
            + Files.readString(err, java.nio.charset.StandardCharsets.ISO_8859_1))
            .contains("JNI global refs")) {
          assertTrue(System.nanoTime() < until, "no thread dump");
          Thread.sleep(20);
        }
      }
      Files.writeString(go, "");
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jpack did not end");
    } finally {
      p.destroyForcibly();
    }
    String stderr = Files.readString(err, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertEquals(0, p.exitValue(), stderr);
    assertEquals(List.of("1", "2"), Proc.sortedLines(Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1)));
    try (var left = Files.list(work)) {
      assertEquals(List.of(), left.toList(), "files left in the working directory");
    }
  }
}
