package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jpack.cli.DocGen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The release archive: installs into a prefix, runs there, and its docs list every option. */
@Timeout(180)
class DistIT {
  @TempDir static Path prefix;

  @BeforeAll
  static void install() throws Exception {
    List<Path> archives = new ArrayList<>();
    try (var s = Files.list(Proc.HOME.resolve("target"))) {
      s.filter(p -> p.getFileName().toString().matches("jpack-.*-bin\\.tar\\.gz"))
          .forEach(archives::add);
    }
    assertEquals(1, archives.size(), "one release archive in target/: " + archives);
    // The README's install command, into a temporary prefix.
    Proc.Result r = Proc.run(new String[] {"tar", "-xzf", archives.get(0).toString(), "-C",
        prefix.toString(), "--strip-components=1"}, null, Map.of(), null, Duration.ofSeconds(60));
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void installedLauncherRunsTheHeadlineEvenThroughASymlink() throws Exception {
    Path link = prefix.resolve("elsewhere/jp");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, prefix.resolve("bin/jpack"));
    for (Path launcher : List.of(prefix.resolve("bin/jpack"), link)) {
      Proc.Result r = Proc.run(new String[] {launcher.toString(), "-a", "greetings.txt", "-L",
          "1", "-P", "8", "./greet.sh"}, null, Map.of(), Proc.HOME.toFile(),
          Duration.ofSeconds(60));
      assertEquals(0, r.code(), r.err());
      assertEquals(20, r.out().lines().count(), r.out());
    }
    Proc.Result v = Proc.run(new String[] {prefix.resolve("bin/jpack").toString(), "--version"},
        null, Map.of(), null, Duration.ofSeconds(60));
    assertTrue(v.out().startsWith("jpack 0."), v.out());
  }

  /** The tar carries jpack-spawn beside the jar (when a C compiler built it), and it is used. */
  @Test
  void installedJpackStartsShortTasksThroughItsSpawnHelper() throws Exception {
    boolean built = Files.isExecutable(Proc.HOME.resolve("target/jpack-spawn"));
    org.junit.jupiter.api.Assumptions.assumeTrue(built
        || System.getenv("JPACK_REQUIRE_SPAWN_HELPER") != null, "jpack-spawn was not built");
    assertTrue(Files.isExecutable(prefix.resolve("lib/jpack-spawn")));
    StringBuilder items = new StringBuilder();
    for (int i = 1; i <= 60; i++) {
      items.append(i).append('\n');
    }
    Proc.Result r = Proc.run(new String[] {prefix.resolve("bin/jpack").toString(), "-n", "1",
        "-P", "2", "sh", "-c", "cat /proc/$PPID/comm"},
        items.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII), Map.of(), null,
        Duration.ofSeconds(60));
    assertEquals(0, r.code(), r.err());
    assertEquals(60, r.out().lines().count());
    assertTrue(r.out().lines().anyMatch("jpack-spawn"::equals), r.out());
  }

  @Test
  void manPageRendersAndListsEveryOption() throws Exception {
    Path page = prefix.resolve("share/man/man1/jpack.1");
    Proc.Result r = Proc.run(new String[] {"man", "-l", page.toString()}, null,
        Map.of("MANWIDTH", "100", "MAN_KEEP_FORMATTING", "0"), null, Duration.ofSeconds(60));
    assertEquals(0, r.code(), r.err());
    assertTrue(!r.err().contains("warning"), r.err());
    String text = r.out().replaceAll(".\b", "").replace("\u2010", "-").replace("\u2212", "-");
    for (String section : List.of("NAME", "SYNOPSIS", "OPTIONS", "EXIT STATUS", "ENVIRONMENT",
        "FILES", "EXAMPLES")) {
      assertTrue(text.contains("\n" + section + "\n"), "man page lacks " + section);
    }
    for (String option : DocGen.optionNames()) {
      assertTrue(text.contains(option), "man page lacks " + option);
    }
    assertTrue(text.contains("SLURM_ARRAY_TASK_ID") && text.contains("PBS_NCPUS"));
    assertTrue(!text.contains("%%") && text.contains("{%}"), "format escapes leaked");
    assertTrue(text.contains("its slot, 0..P-1,") && !text.contains("P\\-1"),
        "a roff escape escaped twice");
  }

  @Test
  void bashCompletionRegistersAndCompletesOptionsAndFiles() throws Exception {
    Path completion = prefix.resolve("share/bash-completion/completions/jpack");
    Proc.Result r = Proc.run(new String[] {"bash", "-c", "source '" + completion
        + "' && complete -p jpack && COMP_WORDS=(jpack --joblo) COMP_CWORD=1"
        + " COMP_LINE='jpack --joblo' COMP_POINT=13 && _complete_jpack"
        + " && printf '%s\\n' \"${COMPREPLY[@]}\""}, null, Map.of(), null,
        Duration.ofSeconds(30));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("complete") && r.out().contains("jpack"), r.out());
    assertTrue(r.out().contains("--joblog"), r.out());
  }

  @Test
  void readmeDocumentsEveryOption() throws Exception {
    String readme = Files.readString(Proc.HOME.resolve("README.md"));
    for (String option : DocGen.optionNames()) {
      assertTrue(readme.contains("`" + option) || readme.contains(" " + option + "`")
          || readme.contains(option), "README lacks " + option);
    }
  }
}
