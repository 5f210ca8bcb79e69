package jpack.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {
  @Test
  void gnuParallelStrings() {
    Command c = Placeholders.expand(List.of("cp", "{}", "out/{/.}.{#}.{%}", "{//}", "{.}"),
        "data/run1.fits");
    assertEquals(List.of("cp", "data/run1.fits", "out/run1.{#}.{%}", "data", "data/run1"),
        c.argv());
    assertEquals(List.of("cp", "data/run1.fits", "out/run1.7.3", "data", "data/run1"),
        c.argvFor(7, 2));
  }

  @Test
  void withoutPlaceholdersTheLineIsAppendedWhole() {
    assertEquals(List.of("echo", "a b"), Placeholders.expand(List.of("echo"), "a b").argv());
  }

  @Test
  void pathEdges() {
    assertEquals(".", Placeholders.dirname("file"));
    assertEquals("/", Placeholders.dirname("/file"));
    assertEquals("", Placeholders.basename("dir/file/")); // GNU parallel's s:.*/::
    assertEquals("dir", Placeholders.dirname("dir/file/")); // Perl's dirname
    assertEquals(".", Placeholders.dirname("a/"));
    assertEquals("/", Placeholders.dirname("/"));
    assertEquals("", Placeholders.noExtension(".bashrc")); // s:\.[^/.]*$::
    assertEquals("a.tar", Placeholders.noExtension("a.tar.gz"));
    assertEquals("dir.d/file", Placeholders.noExtension("dir.d/file"));
  }

  private static List<String> row(List<String> template, List<String> values,
      List<String> names) {
    return Placeholders.expand(template, values, names).argv();
  }

  @Test
  void positionalAndNamedColumnsWithTheirForms() {
    assertEquals(List.of("run", "b/c.d", "a", "c.d", "b", "c", "x", "b/c.d"),
        row(List.of("run", "{2}", "{1}", "{2/}", "{2//}", "{2/.}", "{-1}", "{f}"),
            List.of("a", "b/c.d", "x"), List.of("e", "f")));
    assertEquals(List.of("b/c", "c.d"), row(List.of("{f.}", "{f/}"), List.of("a", "b/c.d"),
        List.of("e", "f")));
  }

  @Test
  void severalValuesOfAnAllTokenAreOneArgumentEach() {
    assertEquals(List.of("printf", "xa", "1y"), row(List.of("printf", "x{}y"),
        List.of("a", "1"), List.of()));
    assertEquals(List.of("a", "c"), row(List.of("{.}"), List.of("a.x", "c.y"), List.of()));
  }

  @Test
  void aLoneColumnPastTheRowIsNoArgumentButEmptyInAWord() {
    assertEquals(List.of("echo", "a", "xy", "b"), row(List.of("echo", "a", "{3}", "x{3}y", "b"),
        List.of("v"), List.of()));
  }

  @Test
  void withoutPlaceholdersEveryValueIsAppended() {
    Command c = Placeholders.expand(List.of("echo", "{x}"), List.of("a b", "1"), List.of());
    assertEquals(List.of("echo", "{x}", "a b", "1"), c.argv());
    assertEquals(2, c.itemsFrom());
    assertEquals("a b 1", c.tag());
  }

  @Test
  void unknownBracesStayLiteral() {
    assertEquals(List.of("{0}", "{a b}", "{v", "{-}"), row(List.of("{0}", "{a b}", "{{}", "{-}"),
        List.of("v"), List.of()));
  }

  @Test
  void textExpandsOneStringWithoutAppending() {
    List<String> row = List.of("a/x.txt", "b");
    assertEquals("a/x.txt-b 7:3", Placeholders.text("{1}-{2} {#}:{%}", row, List.of(), 7, 2));
    assertEquals("x b", Placeholders.text("{1/.} {-1}", row, List.of(), 1, 0));
    assertEquals("[a/x.txt b]", Placeholders.text("[{}]", row, List.of(), 1, 0));
    assertEquals("plain", Placeholders.text("plain", row, List.of(), 1, 0),
        "nothing appended when it has no replacement string");
    assertEquals("n=b", Placeholders.text("n={n}", row, List.of("f", "n"), 1, 0));
  }
}
