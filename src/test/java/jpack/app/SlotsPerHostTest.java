package jpack.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jpack.config.Host;
import org.junit.jupiter.api.Test;

class SlotsPerHostTest {
  private static final List<Host> HOSTS = List.of(new Host("a", 48, 0), new Host("b", 0, 1));

  @Test
  void countedCoresAreDividedByCpusPerTask() {
    int[] n = Runner.slotsPerHost(HOSTS, 0, 4);
    assertEquals(12, n[0]);
    assertTrue(n[1] >= 1, "an uncounted host gets this node's CPUs / 4, at least 1");
  }

  @Test
  void pGivesUncountedHostsTheirSlotsAndCapsEveryHost() {
    assertArrayEquals(new int[] {6, 6}, Runner.slotsPerHost(HOSTS, 6, 4));
    assertArrayEquals(new int[] {3, 3}, Runner.slotsPerHost(HOSTS, 3, 1));
  }

  @Test
  void pZeroLeavesCountedHostsAloneAndGivesOthersThisNodesCpus() {
    int[] n = Runner.slotsPerHost(HOSTS, Integer.MAX_VALUE, 1);
    assertEquals(48, n[0]);
    assertEquals(Runner.slotsPerHost(HOSTS, 0, 1)[1], n[1]);
  }

  @Test
  void aHostWithFewerCoresThanATaskNeedsStillRunsOne() {
    assertArrayEquals(new int[] {1}, Runner.slotsPerHost(List.of(new Host("a", 2, 0)), 0, 8));
  }
}
