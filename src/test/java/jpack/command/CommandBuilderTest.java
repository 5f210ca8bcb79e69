package jpack.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import jpack.config.Grouping;
import org.junit.jupiter.api.Test;

class CommandBuilderTest {
  private static Grouping args(long n, long s) {
    return new Grouping(n, 0, Grouping.APPEND, s, false, false);
  }

  private static List<List<String>> drain(CommandBuilder b) {
    List<List<String>> out = new ArrayList<>();
    for (Command c = b.poll(); c != null; c = b.poll()) {
      out.add(c.argv());
    }
    return out;
  }

  private static List<List<String>> feed(CommandBuilder b, String... items) throws Exception {
    for (String i : items) {
      b.item(i);
    }
    b.finish();
    return drain(b);
  }

  @Test
  void maxArgsSplits() throws Exception {
    CommandBuilder b = new CommandBuilder(List.of("echo"), args(2, 1000));
    assertEquals(List.of(List.of("echo", "a", "b"), List.of("echo", "c")), feed(b, "a", "b", "c"));
  }

  @Test
  void maxCharsCountsEveryArgumentWithItsNul() throws Exception {
    // echo(5) + 1(2) + 22(3) + 333(4) = 14 <= 15; adding 4444(5) would make 19
    CommandBuilder b = new CommandBuilder(List.of("echo"), args(0, 15));
    assertEquals(List.of(List.of("echo", "1", "22", "333"), List.of("echo", "4444")),
        feed(b, "1", "22", "333", "4444"));
    assertEquals(9, b.maxItemLength());
  }

  @Test
  void exitIfSizeExceededRefuses() throws Exception {
    CommandBuilder b = new CommandBuilder(List.of("echo"), new Grouping(3, 0, Grouping.APPEND, 12, true,
        false));
    b.item("aa");
    b.item("bb");
    assertThrows(CommandLineException.class, () -> b.item("cc"));
  }

  @Test
  void maxLinesGroupsLines() throws Exception {
    CommandBuilder b = new CommandBuilder(List.of("echo"), new Grouping(0, 2, Grouping.APPEND, 1000, true,
        false));
    b.item("a");
    b.item("b");
    b.lineEnd();
    assertEquals(List.of(), drain(b));
    b.item("c");
    b.lineEnd();
    b.item("d");
    b.lineEnd();
    b.finish();
    assertEquals(List.of(List.of("echo", "a", "b", "c"), List.of("echo", "d")), drain(b));
  }

  @Test
  void replaceSubstitutesEveryOccurrenceInEveryArgument() throws Exception {
    CommandBuilder b = new CommandBuilder(List.of("cp", "{}", "{}.{}"), new Grouping(0, 0, new Grouping.Replace("{}"),
        1000, true, false));
    b.item("x y");
    List<List<String>> out = drain(b);
    assertEquals(List.of(List.of("cp", "x y", "x y.x y")), out);
  }

  @Test
  void replaceRefusesTooLongCommands() throws Exception {
    CommandBuilder b = new CommandBuilder(List.of("echo", "{}"), new Grouping(0, 0, new Grouping.Replace("{}"), 10,
        true, false));
    b.item("abcd"); // echo(5) + abcd(5) = 10 fits
    assertThrows(CommandLineException.class, () -> b.item("abcde"));
  }

  @Test
  void emptyInputRunsOnceUnlessNoRunIfEmpty() throws Exception {
    assertEquals(List.of(List.of("echo")), feed(new CommandBuilder(List.of("echo"),
        args(0, 1000))));
    assertEquals(List.of(), feed(new CommandBuilder(List.of("echo"),
        new Grouping(0, 0, Grouping.APPEND, 1000, false, true))));
  }

  @Test
  void commandLongerThanLimitIsRefusedUpFront() {
    assertThrows(CommandLineException.class,
        () -> new CommandBuilder(List.of("echo"), args(0, 4)));
  }

  @Test
  void tagIsTheItemsOrTheLine() throws Exception {
    CommandBuilder b = new CommandBuilder(List.of("echo", "x"), args(2, 1000));
    b.item("a");
    b.item("b");
    assertEquals("a b", b.poll().tag());
  }
}
