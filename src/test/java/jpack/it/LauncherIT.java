package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What both launchers (./jpack and the installed bin/jpack) see to before the JVM starts: closed
 * standard streams (issue 15).
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
}
