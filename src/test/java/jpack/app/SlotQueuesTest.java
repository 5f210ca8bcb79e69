package jpack.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotQueuesTest {
  private final SlotQueues<String> q = new SlotQueues<>(2);

  @Test
  void theFirstTaskHoldsTheSlotTheOthersWaitAndMoveUp() {
    assertFalse(q.add(0, "a"));
    assertTrue(q.add(0, "b"));
    assertTrue(q.add(0, "c"));
    assertFalse(q.add(1, "x"));
    assertEquals(2, q.waiting());
    assertEquals(List.of("b", "c"), q.waitingTasks());
    assertTrue(q.remove(0, "a")); // b holds slot 0 now
    assertEquals(1, q.waiting());
    assertEquals(List.of("c"), q.waitingTasks());
    assertTrue(q.busy().get(0));
    assertTrue(q.remove(0, "c")); // a waiting one taken back
    assertEquals(0, q.waiting());
    assertTrue(q.remove(0, "b"));
    assertFalse(q.busy().get(0));
    assertEquals(0, q.busy().nextClearBit(0));
    assertTrue(q.busy().get(1));
    assertFalse(q.remove(0, "b"), "gone already");
    assertFalse(q.remove(7, "nobody"));
  }

  @Test
  void waitsOnTheLeastQueuedThenTheOldestSlotNeverBeyondTheDepth() {
    Map<String, Long> started = Map.of("a", 5L, "b", 3L, "c", 9L);
    q.add(0, "a");
    q.add(1, "b");
    q.add(2, "c");
    assertEquals(1, q.slotToWaitOn(t -> true, started::get)); // b started first
    q.add(1, "b2");
    assertEquals(0, q.slotToWaitOn(t -> true, started::get)); // fewest waiting, then oldest
    q.add(0, "a2");
    q.add(2, "c2");
    q.add(1, "b3");
    q.add(0, "a3");
    q.add(2, "c3");
    assertEquals(-1, q.slotToWaitOn(t -> true, started::get), "two wait on each: full");
    assertEquals(-1, new SlotQueues<String>(2).slotToWaitOn(t -> true, t -> 0L));
    SlotQueues<String> pb = new SlotQueues<>(2);
    pb.add(0, "started by ProcessBuilder");
    assertEquals(-1, pb.slotToWaitOn(t -> false, t -> 0L), "only behind the helper's tasks");
  }

  @Test
  void aSlotsWaitingTasksTakeTurnsWithItsSpoolFiles() {
    assertEquals(0, q.nextSpool(0)); // free: the first files
    q.add(0, "a");
    assertEquals(1, q.nextSpool(0)); // b waits behind a
    q.add(0, "b");
    assertEquals(2, q.nextSpool(0));
    q.add(0, "c");
    q.remove(0, "a"); // a's output read: its files are free again
    assertEquals(0, q.nextSpool(0));
    q.add(0, "d");
    q.remove(0, "b");
    q.remove(0, "c");
    q.remove(0, "d");
    assertEquals(0, q.nextSpool(0), "free again: the first files");
    assertEquals(30, q.nextSpool(10));
    assertEquals(30, q.nextSpool(10), "a free slot always writes its first files");
  }
}
