package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every job script in examples/ parses (bash -n), and every jpack option it uses exists: the PBS
 * ones run nowhere here (no PBS), the Slurm ones run in SlurmIT.
 */
@Timeout(120)
class ExamplesIT {
  @Test
  void everyJobScriptParsesAndUsesOnlyRealOptions() throws Exception {
    List<Path> scripts;
    try (Stream<Path> s = Files.list(Proc.HOME.resolve("examples"))) {
      scripts = s.filter(p -> p.toString().matches(".*\\.(sbatch|pbs|sh)$")).sorted().toList();
    }
    assertTrue(scripts.size() >= 9, "job scripts: " + scripts);
    String help = Proc.jpack("", "--help").out();
    for (Path script : scripts) {
      Proc.Result r = Proc.run(new String[] {"bash", "-n", script.toString()}, null, Map.of(),
          null, Duration.ofSeconds(30));
      assertEquals(0, r.code(), script + ": " + r.err());
      for (String line : Files.readAllLines(script)) {
        if (!line.contains("jpack ")) {
          continue;
        }
        String after = line.substring(line.indexOf("jpack ") + 6); // jpack's own options
        for (String word : after.split("[\\s=]+")) {
          if (word.startsWith("--") && word.length() > 2 && !line.trim().startsWith("#SBATCH")
              && !line.trim().startsWith("#PBS")) {
            assertTrue(help.contains(word), script.getFileName() + " uses " + word
                + ", which jpack --help does not list: " + line);
          }
        }
      }
    }
  }
}
