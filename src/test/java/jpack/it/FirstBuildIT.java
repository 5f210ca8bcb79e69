package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ./jpack on a fresh clone builds itself first: quietly, plainly, and without eating stdin. */
@Timeout(600)
class FirstBuildIT {
  @TempDir Path tmp;

  @Test
  void theFirstUseBuildLeavesStdinAndTheTerminalAlone() throws Exception {
    assumeTrue(Files.isDirectory(Proc.HOME.resolve(".git")), "not a git checkout");
    Path clone = tmp.resolve("clone");
    Proc.Result c = Proc.run(new String[] {"git", "clone", "-q", Proc.HOME.toString(),
        clone.toString()}, null, Map.of(), null, Duration.ofSeconds(120));
    assertEquals(0, c.code(), c.err());
    // the sources of the working tree, as they are (uncommitted changes too)
    Proc.Result cp = Proc.run(new String[] {"cp", "-r", Proc.HOME.resolve("src").toString(),
        Proc.HOME.resolve("pom.xml").toString(), Proc.HOME.resolve("jpack").toString(),
        clone.toString()}, null, Map.of(), null, Duration.ofSeconds(60));
    assertEquals(0, cp.code(), cp.err());
    Proc.Result r = Proc.run(new String[] {"sh", "-c", "printf '1\\n2\\n' | ./jpack -n 1 echo"},
        null, Map.of(), clone.toFile(), Duration.ofSeconds(540));
    assertEquals(0, r.code(), r.err());
    assertEquals("1\n2\n", r.out(), "the build must not read jpack's input");
    assertEquals("jpack: building " + clone.toRealPath().resolve("target/jpack.jar")
        + " (first use or sources changed)...\n", r.err(), "one plain line, no escapes");
  }
}
