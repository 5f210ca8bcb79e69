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
}
