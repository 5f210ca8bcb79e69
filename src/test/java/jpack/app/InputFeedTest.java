package jpack.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jpack.command.CommandBuilder;
import jpack.config.Grouping;
import jpack.config.InputSpec;
import jpack.config.Resources;
import jpack.input.ItemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InputFeedTest {
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

  private static ItemReader items(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i).append('\n');
    }
    return new ItemReader(new ByteArrayInputStream(sb.toString().getBytes(
        StandardCharsets.ISO_8859_1)), new InputSpec(null, InputSpec.BLANKS, null), false, 1000, w -> { });
  }

  private static CommandBuilder oneItemEach() throws Exception {
    return new CommandBuilder(List.of("echo"), new Grouping(1, 0, Grouping.APPEND, 1000, false, false));
  }

  private Event next() throws InterruptedException {
    Event e = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(e, "the feed sent nothing for 10 s");
    return e;
  }

  /**
   * The reader stays at most read-ahead commands ahead of the tasks started, and the permits
   * of started tasks go back a batch at a time (read-ahead 8: batches of 2).
   */
  @Test
  @Timeout(30)
  void staysAtMostReadAheadAheadAndGetsPermitsBackInBatches() throws Exception {
    AtomicInteger many = new AtomicInteger();
    InputFeed feed = new InputFeed(Resources.NONE, null, null, 8, events::add, 3,
        many::incrementAndGet);
    ItemReader reader = items(20);
    CommandBuilder builder = oneItemEach();
    Thread th = new Thread(() -> feed.run(reader, builder), "feed");
    th.start();
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      seqs.add(((Event.Ready) next()).seq());
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), seqs);
    assertEquals(1, many.get(), "onMany ran once, at the 3rd command");
    assertNull(events.poll(200, TimeUnit.MILLISECONDS), "a 9th before any task started");
    feed.started();
    feed.giveBack(false);
    assertNull(events.poll(200, TimeUnit.MILLISECONDS), "one permit is less than a batch");
    feed.started();
    feed.giveBack(false);
    assertEquals(9L, ((Event.Ready) next()).seq());
    assertEquals(10L, ((Event.Ready) next()).seq());
    for (int started = 2; started < 10; started++) {
      feed.started(); // the others received so far start
    }
    feed.giveBack(true); // nothing pending: all back at once
    Event e;
    long last = 10;
    while (!((e = next()) instanceof Event.InputEnd)) {
      assertEquals(++last, ((Event.Ready) e).seq());
      feed.started();
      feed.giveBack(true);
    }
    th.join(10_000);
    assertEquals(20, last);
    assertNull(assertInstanceOf(Event.InputEnd.class, e).error());
    assertEquals(true, feed.stopped());
    assertEquals(20, feed.emitted());
    assertEquals(1, many.get());
  }
}
