package jpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of STYLE.md: cli -> app -> {input, command, exec, site, output} -> config; site
 * is what the machine and the batch system grant (probes), exec what starts processes. report
 * (--report, --plan: read job logs, run nothing) sits beside app: cli -> report -> {joblog,
 * site} -> config, and app never needs it.
 */
class ArchitectureTest {
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("jpack", Set.of("cli")),
      Map.entry("cli", Set.of("app", "report", "config")),
      Map.entry("report", Set.of("joblog", "site", "config")),
      Map.entry("app", Set.of("input", "command", "exec", "site", "output", "joblog", "config")),
      Map.entry("input", Set.of("config")),
      Map.entry("command", Set.of("config")),
      Map.entry("exec", Set.of("config")),
      Map.entry("site", Set.of("config")),
      Map.entry("output", Set.of("config")),
      Map.entry("joblog", Set.of("config")),
      Map.entry("config", Set.of()));

  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?jpack\\.(\\w+)\\.",
      Pattern.MULTILINE);

  @Test
  void packagesOnlyImportTheLayersBelowThem() throws IOException {
    Path root = Path.of("src/main/java/jpack");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Path rel = root.relativize(f);
        String pkg = rel.getNameCount() == 1 ? "jpack" : rel.getName(0).toString();
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          String target = m.group(1);
          if (!target.equals(pkg) && !ALLOWED.getOrDefault(pkg, Set.of()).contains(target)) {
            violations.add(rel + " imports jpack." + target);
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void onlyMainCallsSystemExit() throws IOException {
    List<String> callers = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        if (Files.readString(f).contains("System.exit(")) {
          callers.add(f.getFileName().toString());
        }
      }
    }
    assertEquals(List.of("Main.java"), callers);
  }
}
