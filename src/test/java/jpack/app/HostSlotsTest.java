package jpack.app;

import jpack.config.Concurrency;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import jpack.config.Host;
import org.junit.jupiter.api.Test;

class HostSlotsTest {
  private static final List<Host> HOSTS = List.of(new Host("a", 48, 0), new Host("b", 0, 1));

  @Test
  void countedCoresAreDividedByCpusPerTask() {
    int[] n = HostSlots.perHost(HOSTS, Concurrency.FROM_ALLOCATION, 4);
    assertEquals(12, n[0]);
    assertTrue(n[1] >= 1, "an uncounted host gets this node's CPUs / 4, at least 1");
  }

  @Test
  void pGivesUncountedHostsTheirSlotsAndCapsEveryHost() {
    assertArrayEquals(new int[] {6, 6}, HostSlots.perHost(HOSTS, Concurrency.of(6), 4));
    assertArrayEquals(new int[] {3, 3}, HostSlots.perHost(HOSTS, Concurrency.of(3), 1));
  }

  @Test
  void pZeroLeavesCountedHostsAloneAndGivesOthersThisNodesCpus() {
    int[] n = HostSlots.perHost(HOSTS, Concurrency.UNLIMITED, 1);
    assertEquals(48, n[0]);
    assertEquals(HostSlots.perHost(HOSTS, Concurrency.FROM_ALLOCATION, 1)[1], n[1]);
  }

  @Test
  void aHostWithFewerCoresThanATaskNeedsStillRunsOne() {
    assertArrayEquals(new int[] {1}, HostSlots.perHost(List.of(new Host("a", 2, 0)), Concurrency.FROM_ALLOCATION, 8));
  }

  @Test
  void slotsGoToTheHostsInTurnAndNumberFromZeroOnEach() {
    HostSlots h = new HostSlots(List.of(new Host("a", 2, 0), new Host("b", 3, 1)), Concurrency.FROM_ALLOCATION, 1);
    assertEquals(5, h.size());
    int[] hostOf = new int[5];
    int[] local = new int[5];
    for (int s = 0; s < 5; s++) {
      hostOf[s] = h.hostOf(s);
      local[s] = h.localSlot(s);
    }
    assertArrayEquals(new int[] {0, 1, 0, 1, 1}, hostOf);
    assertArrayEquals(new int[] {0, 0, 1, 1, 2}, local);
    assertEquals("a (2), b (3)", h.describe());
  }

  @Test
  void aFailedHostIsAvoidedWhileAnotherLivesAndDroppedAfterThreeInARow() {
    HostSlots h = new HostSlots(List.of(new Host("a", 1, 0), new Host("b", 1, 1)), Concurrency.FROM_ALLOCATION, 1);
    BitSet busy = new BitSet();
    assertEquals(0, h.free(busy, -1));
    assertEquals(1, h.free(busy, 0), "avoids host a");
    busy.set(1);
    assertEquals(-1, h.free(busy, 0), "waits for host b rather than a");
    assertFalse(h.launchFailed(0));
    h.launched(0); // a success clears the count
    assertFalse(h.launchFailed(0));
    assertFalse(h.launchFailed(0));
    assertTrue(h.launchFailed(0), "the third failure in a row drops it");
    assertEquals(1, h.alive());
    busy.clear();
    assertEquals(1, h.free(busy, -1), "a dropped host's slots are never free");
    assertFalse(h.othersAlive(1));
    assertTrue(h.launchFailed(1) == false && h.launchFailed(1) == false && h.launchFailed(1));
    assertEquals(0, h.alive());
    assertEquals(-1, h.free(busy, -1));
  }
}
