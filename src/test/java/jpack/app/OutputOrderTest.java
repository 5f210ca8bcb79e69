package jpack.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jpack.output.Spool;
import org.junit.jupiter.api.Test;

class OutputOrderTest {
  private final List<Long> printed = new ArrayList<>();
  private final List<Boolean> hadBlock = new ArrayList<>();

  private OutputOrder<String> order(boolean keep) {
    return new OutputOrder<>(keep, (seq, block, logLine) -> {
      printed.add(seq);
      hadBlock.add(block != null);
    });
  }

  @Test
  void withoutKeepOrderEveryTaskPrintsWhenItEnds() throws Exception {
    OutputOrder<String> o = order(false);
    assertFalse(o.mustWait(3));
    o.complete(3, null);
    o.complete(1, null);
    assertEquals(List.of(3L, 1L), printed);
  }

  @Test
  void withKeepOrderLaterTasksWaitAndFollowInOrder() throws Exception {
    OutputOrder<String> o = order(true);
    Spool.Block b = new Spool.Block(null, null, null);
    assertTrue(o.mustWait(3));
    o.complete(3, b);
    o.complete(2, null);
    assertEquals(List.of(), printed);
    assertFalse(o.mustWait(1));
    o.complete(1, null);
    assertEquals(List.of(1L, 2L, 3L), printed);
    assertEquals(List.of(false, false, true), hadBlock, "an empty task stays empty");
    o.complete(5, null);
    o.flush();
    assertEquals(List.of(1L, 2L, 3L, 5L), printed, "a stop prints what waits, in order");
  }

  @Test
  void aLogLineIsWrittenOnlyWithItsBlock() throws Exception {
    List<String> logged = new ArrayList<>();
    OutputOrder<String> o = new OutputOrder(true, (seq, block, line) -> logged.add(seq + ":" + line));
    o.complete(2, Spool.Block.EMPTY, "two");
    o.complete(3, Spool.Block.EMPTY, "three");
    assertEquals(List.of(), logged, "held blocks are not logged: a kill now loses nothing");
    o.complete(1, null, "one");
    assertEquals(List.of("1:one", "2:two", "3:three"), logged);
  }
}
