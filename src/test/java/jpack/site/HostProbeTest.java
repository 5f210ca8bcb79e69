package jpack.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jpack.config.Host;
import jpack.config.Hosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProbeTest {
  private static final Hosts AUTO = new Hosts(null, List.of(), true, Hosts.Launch.SSH, List.of(),
      List.of());

  @Test
  void pbsNodefileCountsOneSlotPerLineInOrderOfFirstAppearance() throws Exception {
    List<Host> hosts = HostProbe.parse(
        List.of("n2", "n2", "n1", "n2", "", "# spare", "n1  # comment"), true, "f");
    assertEquals(List.of(new Host("n2", 3, 0), new Host("n1", 2, 2)), hosts);
  }

  @Test
  void countsInEveryFormAddUp() throws Exception {
    List<Host> hosts = HostProbe.parse(
        List.of("4/a", "b:8", "c slots=2", "a:1", "user@d"), false, "--hosts");
    assertEquals(List.of(new Host("a", 5, 0), new Host("b", 8, 1), new Host("c", 2, 2),
        new Host("user@d", 0, 4)), hosts);
  }

  @Test
  void badEntriesAreNamed() {
    HostProbe.HostException e = assertThrows(HostProbe.HostException.class,
        () -> HostProbe.parse(List.of("a:0"), false, "--hosts"));
    assertEquals("--hosts: invalid slot count in 'a:0'", e.getMessage());
    e = assertThrows(HostProbe.HostException.class,
        () -> HostProbe.parse(List.of("a b c"), true, "--hostfile 'h'"));
    assertTrue(e.getMessage().startsWith("--hostfile 'h': cannot read 'a b c'"), e.getMessage());
  }

  @Test
  void slurmCpusPerNodeExpandsRepeats() {
    assertEquals(List.of(new Host("a", 48, 0), new Host("b", 48, 1), new Host("c", 24, 2)),
        HostProbe.slurm(List.of("a", "b", "c"), "48(x2),24"));
    assertEquals(List.of(new Host("a", 0, 0), new Host("b", 0, 1)),
        HostProbe.slurm(List.of("a", "b"), "48"));
  }

  @Test
  void autoReadsThePbsNodefile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("nodes");
    Files.writeString(f, "x1\nx1\nx2\n");
    assertEquals(List.of(new Host("x1", 2, 0), new Host("x2", 1, 2)),
        HostProbe.resolve(AUTO,
            Map.of("PBS_NODEFILE", f.toString())));
  }

  @Test
  void autoOutsideABatchJobSaysSo() {
    HostProbe.HostException e = assertThrows(HostProbe.HostException.class,
        () -> HostProbe.resolve(AUTO,
            Map.of()));
    assertTrue(e.getMessage().startsWith("--hosts auto: not inside a batch job"));
  }

  @Test
  void aMissingHostfileIsNamed(@TempDir Path dir) {
    Path f = dir.resolve("none");
    HostProbe.HostException e = assertThrows(HostProbe.HostException.class,
        () -> HostProbe.resolve(new Hosts(f, List.of(), false,
            Hosts.Launch.SSH, List.of(), List.of()),
            Map.of()));
    assertEquals("--hostfile '" + f + "': No such file or directory", e.getMessage());
  }
}
