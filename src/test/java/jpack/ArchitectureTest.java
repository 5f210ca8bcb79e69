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
 * is what the machine and the batch system grant (probes), exec what starts processes.
 */
class ArchitectureTest {
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "jpack", Set.of("cli"),
      "cli", Set.of("app", "config"),
      "app", Set.of("input", "command", "exec", "site", "output", "joblog", "config"),
      "input", Set.of("config"),
      "command", Set.of("config"),
      "exec", Set.of("config"),
      "site", Set.of("config"),
      "output", Set.of("config"),
      "joblog", Set.of("config"),
      "config", Set.of());

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
