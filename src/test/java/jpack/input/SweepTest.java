package jpack.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jpack.config.InputSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GNU parallel's input sources as rows: product, links, columns, headers, CSV. */
class SweepTest {
  @TempDir Path tmp;

  static InputSpec.Source args(String... v) {
    return new InputSpec.Args(List.of(v), false);
  }

  static InputSpec.Source linked(String... v) {
    return new InputSpec.Args(List.of(v), true);
  }

  static InputSpec.Sweep spec(boolean link, InputSpec.Columns columns, boolean header,
      InputSpec.Source... sources) {
    return new InputSpec.Sweep(List.of(sources), link, columns, header, InputSpec.LINES);
  }

  static List<List<String>> rows(InputSpec.Sweep spec, String stdin) throws Exception {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1));
    Sweep s = new Sweep(spec, in, w -> { });
    List<List<String>> out = new ArrayList<>();
    for (List<String> r = s.next(); r != null; r = s.next()) {
      out.add(r);
    }
    return out;
  }

  static List<List<String>> rows(InputSpec.Source... sources) throws Exception {
    return rows(spec(false, new InputSpec.Whole(), false, sources), "");
  }

  @Test
  void productInGnuParallelsOrder() throws Exception {
    assertEquals(List.of(List.of("a", "1"), List.of("a", "2"), List.of("b", "1"),
        List.of("b", "2")), rows(args("a", "b"), args("1", "2")));
  }

  @Test
  void aLinkedSourceGoesSideBySideUntilTheShorterEnds() throws Exception {
    assertEquals(List.of(List.of("a", "1", "x"), List.of("a", "2", "y"), List.of("b", "1", "x"),
        List.of("b", "2", "y")), rows(args("a", "b"), args("1", "2", "3"), linked("x", "y")));
  }

  @Test
  void linkWrapsTheShorterRound() throws Exception {
    assertEquals(List.of(List.of("a", "1"), List.of("b", "2"), List.of("c", "1")),
        rows(spec(true, new InputSpec.Whole(), false, args("a", "b", "c"), args("1", "2")), ""));
  }

  @Test
  void anEmptySourceIsOneEmptyValueInAProduct() throws Exception {
    assertEquals(List.of(List.of("a", ""), List.of("b", "")), rows(args("a", "b"), args()));
    assertEquals(List.of(), rows(args(), args()));
    assertEquals(List.of(),
        rows(spec(true, new InputSpec.Whole(), false, args("a"), args()), ""));
  }

  @Test
  void filesAndStdinAreSources() throws Exception {
    Path f = tmp.resolve("f");
    Files.writeString(f, "x\ny\n");
    assertEquals(List.of(List.of("p", "x"), List.of("p", "y"), List.of("q", "x"),
        List.of("q", "y")), rows(spec(false, new InputSpec.Whole(), false,
            new InputSpec.Stdin(false), new InputSpec.InputFile(f, false)), "p\nq"));
  }

  @Test
  void aMissingFileIsAnInputError() {
    InputException e = assertThrows(InputException.class, () -> rows(spec(false,
        new InputSpec.Whole(), false, new InputSpec.InputFile(tmp.resolve("nope"), false)), ""));
    assertEquals("cannot open input file '" + tmp.resolve("nope")
        + "': No such file or directory", e.getMessage());
  }

  @Test
  void colsepSplitsEveryValueKeepingEmptyColumns() throws Exception {
    assertEquals(List.of(List.of("a", "", "b", "", "c")), rows(spec(false,
        new InputSpec.Separated(","), false, args("a,,b,"), args("c")), ""));
  }

  @Test
  void headerNamesTheColumnsAcrossSources() throws Exception {
    InputStream in = new ByteArrayInputStream("n,v\na,1\n".getBytes(StandardCharsets.ISO_8859_1));
    Sweep s = new Sweep(spec(false, new InputSpec.Separated(","), true,
        new InputSpec.Stdin(false), args("w", "x")), in, w -> { });
    assertEquals(List.of("a", "1", "x"), s.next());
    assertEquals(List.of("n", "v", "w"), s.names());
    assertEquals(null, s.next());
  }

  @Test
  void csvHasQuotedSeparatorsQuotesAndNewlines() throws Exception {
    String csv = "a,\"b,c\",d\n\"multi\nline\",x,\"q\"\"uote\"\r\n\n";
    assertEquals(List.of(List.of("a", "b,c", "d"), List.of("multi\nline", "x", "q\"uote"),
        List.of("")), rows(spec(false, new InputSpec.Csv(','), false,
            new InputSpec.Stdin(false)), csv));
    assertEquals(List.of(List.of("a;b", "c")), rows(spec(false, new InputSpec.Csv(';'), false,
        args("\"a;b\";c")), ""));
  }

  @Test
  void anUnclosedCsvQuoteIsAnInputError() {
    InputException e = assertThrows(InputException.class, () -> rows(spec(false,
        new InputSpec.Csv(','), false, new InputSpec.Stdin(false)), "a,\"b\n"));
    assertEquals(true, e.getMessage().startsWith("--csv: "), e.getMessage());
  }

  @Test
  void theFirstSourceStreams() throws Exception {
    // an endless first source: rows come without it ever ending
    InputStream endless = new InputStream() {
      long n;

      @Override
      public int read() {
        return n++ % 2 == 0 ? 'v' : '\n';
      }
    };
    Sweep s = new Sweep(spec(false, new InputSpec.Whole(), false, new InputSpec.Stdin(false),
        args("1", "2")), endless, w -> { });
    for (int i = 0; i < 1000; i++) {
      assertEquals(List.of("v", i % 2 == 0 ? "1" : "2"), s.next());
    }
  }

  // Properties: the rows are the nested loops' (product), the zip's (:::+), the wrap's (--link).

  @Provide
  Arbitrary<List<List<String>>> sources() {
    return Arbitraries.strings().alpha().ofMaxLength(2).list().ofMinSize(1).ofMaxSize(4)
        .list().ofMinSize(1).ofMaxSize(4);
  }

  private static InputSpec.Source[] asArgs(List<List<String>> sources, boolean linked) {
    InputSpec.Source[] out = new InputSpec.Source[sources.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new InputSpec.Args(sources.get(i), linked && i > 0);
    }
    return out;
  }

  @Property(tries = 200)
  void productIsNestedLoopsLastFastest(@ForAll("sources") List<List<String>> sources)
      throws Exception {
    List<List<String>> expected = new ArrayList<>();
    expected.add(List.of());
    for (List<String> source : sources) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : expected) {
        for (String v : source) {
          List<String> row = new ArrayList<>(prefix);
          row.add(v);
          next.add(row);
        }
      }
      expected = next;
    }
    assertEquals(expected, rows(asArgs(sources, false)));
  }

  @Property(tries = 200)
  void linkedSourcesZipToTheShortest(@ForAll("sources") List<List<String>> sources)
      throws Exception {
    int n = sources.stream().mapToInt(List::size).min().orElseThrow();
    assertEquals(zip(sources, n, false), rows(asArgs(sources, true)));
  }

  @Property(tries = 200)
  void linkWrapsToTheLongest(@ForAll("sources") List<List<String>> sources) throws Exception {
    int n = sources.stream().mapToInt(List::size).max().orElseThrow();
    assertEquals(zip(sources, n, true),
        rows(spec(true, new InputSpec.Whole(), false, asArgs(sources, false)), ""));
  }

  private static List<List<String>> zip(List<List<String>> sources, int n, boolean wrap) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> row = new ArrayList<>();
      for (List<String> s : sources) {
        row.add(s.get(wrap ? i % s.size() : i));
      }
      out.add(row);
    }
    return out;
  }

  @Property(tries = 200)
  void csvRoundTripsQuotedFields(@ForAll("fields") List<String> fields) throws Exception {
    StringBuilder line = new StringBuilder();
    for (String f : fields) {
      if (line.length() > 0) {
        line.append(',');
      }
      line.append('"').append(f.replace("\"", "\"\"")).append('"');
    }
    assertEquals(List.of(fields), rows(spec(false, new InputSpec.Csv(','), false,
        new InputSpec.Stdin(false)), line + "\n"));
  }

  @Provide
  Arbitrary<List<String>> fields() {
    return Arbitraries.strings().withChars("ab,\"\n\r ;").ofMaxLength(5).list().ofMinSize(1)
        .ofMaxSize(4);
  }
}
