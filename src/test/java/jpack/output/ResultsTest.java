package jpack.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --results: the tree, the tables, and a table a killed run left, continued by --resume. */
class ResultsTest {
  @TempDir Path dir;

  private static Spool.Block block(String out, String err) {
    return new Spool.Block(part(out), part(err), null);
  }

  private static Spool.Part part(String s) {
    return new Spool.Part(null, null, 0, 0, s.getBytes(StandardCharsets.ISO_8859_1), false);
  }

  private static Results.Row row(long seq, List<String> values, List<String> names) {
    return new Results.Row(seq, ":", 1_700_000_000_123L, 1_500_000_000L, 0, 3, 0, 0,
        "echo " + String.join(" ", values), values, names, 2048, 1_000_001, -1);
  }

  private List<CSVRecord> csv(Path p, char sep) throws IOException {
    try (Reader r = Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
      return CSVFormat.DEFAULT.builder().setDelimiter(sep).build().parse(r).getRecords();
    }
  }

  @Test
  void aTsvTableHasAHeaderAndAWholeRowPerTask() throws IOException {
    Path p = dir.resolve("r.tsv");
    try (Results r = Results.open(jpack.config.Results.of(p.toString()), false)) {
      r.write(row(1, List.of("a", "x\ty"), List.of()), block("out\nline 2\n", ""));
      r.write(row(2, List.of("b", "q\"z"), List.of()), block("", "err\n"));
    }
    List<CSVRecord> rows = csv(p, '\t');
    assertEquals(List.of("Seq", "Host", "Starttime", "JobRuntime", "Send", "Receive", "Exitval",
        "Signal", "Command", "V1", "V2", "Stdout", "Stderr", "MaxRSSkB", "UserSec", "SysSec",
        "StdoutFile", "StderrFile"), rows.get(0).toList());
    assertEquals(List.of("1", ":", "1700000000.123", "1.500", "0", "3", "0", "0", "echo a x\ty",
        "a", "x\ty", "out\nline 2\n", "", "2048", "1.000001", "", "", ""), rows.get(1).toList());
    assertEquals("q\"z", rows.get(2).get(10));
    assertEquals("err\n", rows.get(2).get(12));
    assertEquals(3, rows.size());
  }

  @Test
  void headerNamesAreTheColumnsAndLargeOutputGoesToAFileTheRowNames() throws IOException {
    Path p = dir.resolve("r.csv");
    String big = "x".repeat(Results.INLINE + 1);
    try (Results r = Results.open(jpack.config.Results.of(p.toString()), false)) {
      r.write(row(1, List.of("1", "2"), List.of("alpha", "beta")), block(big, "small"));
    }
    List<CSVRecord> rows = csv(p, ',');
    assertEquals("alpha", rows.get(0).get(9));
    assertEquals("beta", rows.get(0).get(10));
    assertEquals("", rows.get(1).get(11), "too large for the table");
    Path file = Path.of(rows.get(1).get(16));
    assertEquals(dir.resolve("r.csv.out").resolve("1.stdout"), file);
    assertEquals(big, Files.readString(file));
    assertEquals("small", rows.get(1).get(12));
  }

  @Test
  void aResumeCutsACutRowAndWritesNoTaskTwice() throws IOException {
    Path p = dir.resolve("r.tsv");
    jpack.config.Results cfg = jpack.config.Results.of(p.toString());
    try (Results r = Results.open(cfg, false)) {
      r.write(row(1, List.of("a"), List.of()), block("multi\nline\n", ""));
      r.write(row(2, List.of("b"), List.of()), block("2\n", ""));
    }
    // a run killed in the middle of its third row
    Files.writeString(p, "3\t:\t1.0\t0.1\t0\t0\t0\t0\t\"echo c\"\tc\t\"cut\n",
        StandardCharsets.ISO_8859_1, StandardOpenOption.APPEND);
    try (Results r = Results.open(cfg, true)) {
      assertTrue(r.has(1));
      assertTrue(r.has(2));
      assertFalse(r.has(3), "its row was cut: it is not in the table");
      r.write(row(2, List.of("b"), List.of()), block("again\n", "")); // no second row
      r.write(row(3, List.of("c"), List.of()), block("3\n", ""));
    }
    List<CSVRecord> rows = csv(p, '\t');
    assertEquals(4, rows.size(), "the header and one row per task");
    assertEquals("V1", rows.get(0).get(9));
    assertEquals(List.of("1", "2", "3"), rows.subList(1, 4).stream().map(x -> x.get(0)).toList());
    assertEquals("2\n", rows.get(2).get(10));
    assertEquals("3\n", rows.get(3).get(10));
  }

  @Test
  void jsonIsOneObjectALineAndAResumeContinuesIt() throws IOException {
    Path p = dir.resolve("r.json");
    jpack.config.Results cfg = jpack.config.Results.of(p.toString());
    try (Results r = Results.open(cfg, false)) {
      r.write(row(1, List.of("a\"b"), List.of("n")), block("o\n", ""));
    }
    Files.writeString(p, "{ \"Seq\": 2, \"Host\"", StandardOpenOption.APPEND);
    try (Results r = Results.open(cfg, true)) {
      assertTrue(r.has(1));
      assertFalse(r.has(2));
      r.write(row(2, List.of("c"), List.of("n")), block("", ""));
    }
    List<String> lines = Files.readAllLines(p);
    assertEquals(2, lines.size());
    assertEquals("{ \"Seq\": 1, \"Host\": \":\", \"Starttime\": 1700000000.123, \"JobRuntime\":"
        + " 1.500, \"Send\": 0, \"Receive\": 3, \"Exitval\": 0, \"Signal\": 0, \"Command\":"
        + " \"echo a\\\"b\", \"V\": [ \"a\\\"b\" ], \"Stdout\": \"o\\u000a\", \"Stderr\": \"\","
        + " \"Params\": { \"n\": \"a\\\"b\" }, \"MaxRSSkB\": 2048, \"UserSec\": 1.000001,"
        + " \"SysSec\": null }", lines.get(0));
    assertTrue(lines.get(1).startsWith("{ \"Seq\": 2, "));
  }

  @Test
  void theTreeIsGnuParallels() throws IOException {
    Path d = dir.resolve("d");
    try (Results r = Results.open(jpack.config.Results.of(d.toString()), false)) {
      r.write(row(4, List.of("a/b", "t\tx\\"), List.of()), block("o", "e"));
      r.write(row(5, List.of("v"), List.of("name")), block("", ""));
    }
    Path task = d.resolve("1").resolve("a\\_b").resolve("2").resolve("t\\tx\\\\");
    assertEquals("4", Files.readString(task.resolve("seq")));
    assertEquals("o", Files.readString(task.resolve("stdout")));
    assertEquals("e", Files.readString(task.resolve("stderr")));
    assertEquals("", Files.readString(d.resolve("name/v/stdout")));
  }
}
