package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter sweeps (issue 20) side by side with the real GNU parallel: the same arguments to
 * {@code parallel --will-cite -k} and to {@code jpack --placeholders -k}, in a directory of
 * fixture files, and their stdout bytes and exit statuses compared, case by case. It prints
 * "N passed, N failed" and fails on any failure. Without parallel it skips, unless
 * JPACK_REQUIRE_PARALLEL is set (CI); the --csv cases need Perl's Text::CSV
 * (libtext-csv-perl), which GNU parallel's --csv loads, and skip alike without it.
 *
 * <p>GNU parallel hands its command to a shell; jpack runs argv directly. The cases keep to
 * words that a shell leaves alone, or pass -q to parallel (its argv as given, quoted), which
 * is what jpack does anyway. Exit statuses: parallel exits with the number of failed tasks
 * (1..100), jpack as xargs does (123): the one failing case checks that mapping.
 */
@Timeout(600)
class SweepDifferentialIT {
  static final String PARALLEL = "/usr/bin/parallel";

  /**
   * @param quote pass -q to parallel (argv literal, as jpack takes it)
   * @param csv needs Text::CSV in parallel
   */
  record Case(String name, String stdin, boolean quote, boolean csv, List<String> args) {}

  static Case c(String name, String... args) {
    return new Case(name, null, false, false, List.of(args));
  }

  static Case q(String name, String... args) {
    return new Case(name, null, true, false, List.of(args));
  }

  static Case in(String name, String stdin, String... args) {
    return new Case(name, stdin, false, false, List.of(args));
  }

  static Case csv(String name, boolean quote, String... args) {
    return new Case(name, null, quote, true, List.of(args));
  }

  static final String PF = "[%s]\\n";

  static final List<Case> CASES = List.of(
      c("product of two", "echo", ":::", "a", "b", ":::", "1", "2", "3"),
      c("product of three", "echo", ":::", "a", "b", ":::", "1", "2", ":::", "x", "y"),
      c("one source", "echo", ":::", "a", "b", "c"),
      c(":::+ equal", "echo", ":::", "a", "b", "c", ":::+", "1", "2", "3"),
      c(":::+ second shorter", "echo", ":::", "a", "b", "c", "d", "e", ":::+", "1", "2"),
      c(":::+ first shorter", "echo", ":::", "a", "b", ":::+", "1", "2", "3", "4"),
      c(":::+ inside a product", "echo", ":::", "a", "b", ":::", "1", "2", "3", ":::+", "x",
          "y"),
      c("--link wraps", "--link", "echo", ":::", "a", "b", "c", "d", "e", ":::", "1", "2"),
      c("--link three", "--link", "echo", ":::", "a", "b", "c", ":::", "1", "2", ":::", "x",
          "y", "z", "w"),
      c("--link equal", "--link", "echo", ":::", "a", "b", ":::", "1", "2"),
      c(":::: two files", "echo", "::::", "f1", "f2"),
      c(":::: twice", "echo", "::::", "f1", "::::", "f2"),
      c("::::+", "echo", "::::", "f1", "::::+", "f2"),
      c("::::+ two files", "echo", ":::", "a", "b", "c", "::::+", "f1", "f3"),
      c("-a twice", "-a", "f1", "-a", "f2", "echo"),
      c("-a then :::", "-a", "f1", "echo", ":::", "p", "q"),
      c("::: then ::::", "echo", ":::", "a", "b", "::::", "f1"),
      in(":::: - (stdin)", "p\nq\n", "echo", "::::", "-", ":::", "1", "2"),
      in("stdin lines {1}", "a.txt\nb/c.d\n", "echo", "{1}", "{1.}", "{1/}"),
      c("{2}-{1}", "echo", "{2}-{1}", ":::", "a", "b", ":::", "1", "2"),
      c("{-1} {-2}", "echo", "{-1}", "{-2}", ":::", "a", "b", ":::", "1", "2"),
      c("positional forms", "echo", "{1.}", "{1/}", "{1//}", "{1/.}", "{2.}", ":::",
          "/a/b.c/d.e.txt", "x.y", ":::", "u/v.w"),
      c("path forms of a file", "echo", "{}", "{.}", "{/}", "{//}", "{/.}", "::::",
          "paths.txt"),
      c("path edges", "echo", "{.}", "{/}", "{//}", "{/.}", ":::", ".hidden", "a/", "/", "./x",
          "a//b"),
      c("{3} past the end", "echo", "a", "{3}", "b", ":::", "x", ":::", "y"),
      q("{} of two splits", "printf", PF, "x{}y", ":::", "a", ":::", "1"),
      q("{.} of two", "printf", PF, "{.}", ":::", "a.x", "b", ":::", "c.y"),
      c("{#}", "echo", "{#}", "{}", ":::", "a", "b", ":::", "1", "2"),
      c("{#} in a word", "echo", "job{#}of", ":::", "a", "b", "c"),
      q("values appended", "printf", PF, ":::", "a b", ":::", "1"),
      c("blanks in a value", "echo", "{}", ":::", "a b", "c  d"),
      c("a glob in a value", "echo", "{}", ":::", "*", "?"),
      c("bigger product {#}", "echo", "{#}", "::::", "f2", ":::", "a", "b", ":::", "x", "y",
          "z"),
      c("--colsep ,", "--colsep", ",", "echo", "{2}", "{1}", ":::", "a,b", "c,d"),
      c("--colsep over two sources", "--colsep", ",", "echo", "{1}", "{2}", "{3}", ":::",
          "a,b", ":::", "c,d"),
      c("--colsep appended", "--colsep", ",", "echo", ":::", "a,b", ":::", "c"),
      q("--colsep empty columns", "--colsep", ",", "printf", PF, "{1}", "{2}", "{3}", "{4}",
          ":::", "a,,b,"),
      c("--colsep regex", "--colsep", " +", "echo", "{2}", ":::", "a   b  c"),
      c("--colsep tab file", "--colsep", "\\t", "echo", "{3}", "{1}", "::::", "cols.tsv"),
      c("--colsep {-1}", "--colsep", ",", "echo", "{-1}", "{-2}", ":::", "a,b,c"),
      q("--colsep {}", "--colsep", ",", "printf", PF, "{}", ":::", "a,b"),
      in("--colsep stdin", "a b\nc d\n", "--colsep", " ", "echo", "{2}{1}"),
      c("--header ::: names", "--header", ":", "echo", "{a}", "{b}", ":::", "a", "1", "2",
          ":::", "b", "x", "y"),
      c("--header file columns", "--header", ":", "--colsep", ",", "echo", "{v}-{n}", "{1}",
          "::::", "h.csv"),
      c("--header forms", "--header", ":", "echo", "{a.}", "{a/}", ":::", "a", "x.y/z.w"),
      c("--header regex", "--header", ".*\\n", "--colsep", ",", "echo", "{v}", "::::",
          "h.csv"),
      c("--header with :::+", "--header", ":", "echo", "{a}", "{b}", ":::", "a", "1", "2",
          ":::+", "b", "x", "y"),
      csv("--csv quoted", false, "--csv", "echo", "{2}/{1}", "::::", "q.csv"),
      csv("--csv header", false, "--csv", "--header", ":", "echo", "{val}", "{name}", "::::",
          "hq.csv"),
      csv("--csv ::: values", false, "--csv", "echo", "{1}", "{2}", ":::", "a,b", "\"c,d\",e"),
      csv("--csv fields", true, "--csv", "printf", PF, "{1}", "{2}", "{3}", "::::", "q.csv"),
      csv("--csv empty line", false, "--csv", "echo", "={2}=", "::::", "gaps.csv"),
      q("-0 ::::", "-0", "printf", PF, "::::", "nul"),
      c("--tag", "--tag", "echo", "x", ":::", "a", "b", ":::", "1"),
      c("--tag --colsep", "--tag", "--colsep", ",", "echo", "x", ":::", "a,b"),
      c("--tagstring {1}-{#}", "--tagstring", "{1}-{#}", "echo", ":::", "a", "b", ":::", "c"),
      c("--tagstring {} joined", "--tagstring", "X{}Y", "echo", ":::", "a", "b", ":::", "c"),
      c("--tagstring forms", "--tagstring", "{2}/{1/}", "echo", ":::", "a/x", "b", ":::", "c"),
      c("--tagstring {name}", "--header", ":", "--tagstring", "{a}:{#}", "echo", "{b}", ":::",
          "a", "1", "2", ":::", "b", "x"),
      c("--tagstring --colsep", "--tagstring", "<{2}>", "--colsep", ",", "echo", "{1}", ":::",
          "a,b", "c,d"),
      c("--tagstring plain", "--tagstring", "S", "echo", ":::", "a", "b"),
      c("--dry-run --tagstring", "--dry-run", "--tagstring", "T{1}{#}", "echo", "{}", ":::",
          "a", "b"),
      c("--dry-run --tag", "--dry-run", "--tag", "echo", ":::", "a", "b"),
      c("--delay", "--delay", "0.1", "echo", ":::", "a", "b", "c"),
      c("--wd {1}", "--wd", "w/{1}", "sh", "-c", "pwd", ":::", "a", "b"),
      c("--results DIR prints nothing", "--results", "out", "echo", ":::", "a"),
      c("--dry-run", "--dry-run", "echo", "{}", ":::", "a", "b", ":::", "1"),
      c("--dry-run {#}", "--dry-run", "echo", "{#}", "{2}", ":::", "a", "b", ":::", "x"),
      c("empty later source", "echo", ":::", "a", "b", "::::", "empty.txt"),
      c("empty first source", "echo", "::::", "empty.txt", ":::", "a"),
      c("empty ::: among others", "echo", "={1}={2}={3}=", ":::", "a", ":::", ":::", "b"),
      c("every source empty", "echo", "x", "::::", "empty.txt", ":::"),
      c("failing tasks", "test", "{}", "=", "b", ":::", "a", "b", "c"));

  @TempDir Path dir;

  @Test
  void sameOutputAsGnuParallel() throws Exception {
    boolean required = System.getenv("JPACK_REQUIRE_PARALLEL") != null;
    assumeTrue(required || Files.isExecutable(Path.of(PARALLEL)), "GNU parallel is not installed");
    boolean textCsv = Proc.run(new String[] {"perl", "-MText::CSV", "-e", "1"}, null, Map.of(),
        null, Duration.ofSeconds(30)).code() == 0;
    fixtures();
    Map<String, String> env = Map.of("PARALLEL_HOME", dir.resolve(".parallel").toString());
    int passed = 0;
    int skipped = 0;
    List<String> failures = new ArrayList<>();
    for (Case k : CASES) {
      if (k.csv && !textCsv && !required) {
        skipped++;
        System.out.println("skipped: " + k.name + " (Perl's Text::CSV is not installed)");
        continue;
      }
      List<String> gnu = new ArrayList<>(List.of(PARALLEL, "--will-cite", "-k"));
      if (k.quote) {
        gnu.add("-q");
      }
      gnu.addAll(k.args);
      List<String> jp = new ArrayList<>(List.of(Proc.JPACK, "--placeholders", "-k"));
      jp.addAll(k.args);
      byte[] stdin = k.stdin == null ? null : k.stdin.getBytes(StandardCharsets.ISO_8859_1);
      Proc.Result g = Proc.run(gnu.toArray(new String[0]), stdin, env, dir.toFile(),
          Duration.ofSeconds(60));
      Proc.Result j = Proc.run(jp.toArray(new String[0]), stdin, env, dir.toFile(),
          Duration.ofSeconds(60));
      boolean sameExit = g.code() == j.code() || (g.code() >= 1 && g.code() <= 100
          && j.code() == 123); // parallel: how many failed; jpack (as xargs): 123
      if (Arrays.equals(g.stdout(), j.stdout()) && sameExit) {
        passed++;
      } else {
        failures.add(k.name + ": " + String.join(" ", k.args) + "\n  parallel (" + g.code()
            + "): " + show(g.out()) + " " + show(g.err()) + "\n  jpack    (" + j.code() + "): "
            + show(j.out()) + " " + show(j.err()));
      }
    }
    failures.forEach(f -> System.out.println("FAILED " + f));
    System.out.println("SweepDifferentialIT: " + passed + " passed, " + failures.size()
        + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : ""));
    assertEquals(List.of(), failures);
  }

  /** --results: the same tree (names and files' bytes) and the same table, column by column. */
  @Test
  void sameResultsAsGnuParallel() throws Exception {
    boolean required = System.getenv("JPACK_REQUIRE_PARALLEL") != null;
    assumeTrue(required || Files.isExecutable(Path.of(PARALLEL)), "GNU parallel is not installed");
    Map<String, String> env = Map.of("PARALLEL_HOME", dir.resolve(".parallel").toString());
    List<List<String>> cases = List.of(
        List.of("echo", ":::", "a", "b"),
        List.of("echo", "{1}{2}", ":::", "a", "b", ":::", "x", "y"),
        List.of("--header", ":", "echo", "{n}", ":::", "n", "I", "II", ":::", "m", "III"),
        List.of("sh", "-c", "echo out; echo err >&2; exit 3", ":::", "a/b", "t\\u"),
        List.of("echo", ":::", "", "x"),
        List.of("--header", ":", "echo", ":::", "b", "1", ":::", "a", "2", ":::", "10", "3"));
    int passed = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      for (String kind : List.of("", ".tsv", ".csv", ".json")) {
        String g = "g" + i + kind;
        String j = "j" + i + kind;
        List<String> gnu = new ArrayList<>(List.of(PARALLEL, "--will-cite", "-k", "-q",
            "--results", g)); // -q: argv as jpack takes it
        gnu.addAll(cases.get(i));
        List<String> jp = new ArrayList<>(List.of(Proc.JPACK, "--placeholders", "-k", "--results",
            j));
        jp.addAll(cases.get(i));
        Proc.Result gr = Proc.run(gnu.toArray(new String[0]), null, env, dir.toFile(),
            Duration.ofSeconds(60));
        Proc.Result jr = Proc.run(jp.toArray(new String[0]), null, env, dir.toFile(),
            Duration.ofSeconds(60));
        String gs = kind.isEmpty() ? tree(dir.resolve(g)) : table(dir.resolve(g), kind);
        String js = kind.isEmpty() ? tree(dir.resolve(j)) : table(dir.resolve(j), kind);
        boolean sameExit = gr.code() == jr.code() || (gr.code() >= 1 && gr.code() <= 100
            && jr.code() == 123);
        if (gs.equals(js) && sameExit && Arrays.equals(gr.stdout(), jr.stdout())) {
          passed++;
        } else {
          failures.add("--results " + kind + " " + String.join(" ", cases.get(i))
              + "\n  parallel (" + gr.code() + "): " + show(gs) + "\n  jpack    (" + jr.code()
              + "): " + show(js) + " " + show(jr.err()));
        }
      }
    }
    failures.forEach(f -> System.out.println("FAILED " + f));
    System.out.println("SweepDifferentialIT results: " + passed + " passed, " + failures.size()
        + " failed");
    assertEquals(List.of(), failures);
  }

  /** Every file under root (sorted) with its bytes. */
  private static String tree(Path root) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.walk(root)) {
      for (Path p : files.sorted().toList()) {
        sb.append(root.relativize(p));
        if (Files.isRegularFile(p)) {
          sb.append(" = ").append(Files.readString(p, StandardCharsets.ISO_8859_1));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * The table without the times (Starttime, JobRuntime), the command (each quotes it its own
   * way) and jpack's own columns: GNU parallel's other columns, by name, row by row.
   */
  private static String table(Path p, String kind) throws Exception {
    String text = Files.readString(p, StandardCharsets.ISO_8859_1);
    if (kind.equals(".json")) {
      return text.replaceAll("\"(Starttime|JobRuntime)\": [0-9.]+, ", "")
          .replaceAll("\"Command\": \"(\\\\.|[^\"\\\\])*\", ", "")
          .replaceAll(", \"(Params|MaxRSSkB|UserSec|SysSec|StdoutFile|StderrFile)\".*? }\n",
              " }\n");
    }
    StringBuilder sb = new StringBuilder();
    org.apache.commons.csv.CSVFormat f = org.apache.commons.csv.CSVFormat.DEFAULT.builder()
        .setDelimiter(kind.equals(".tsv") ? "\t" : ",").setHeader().setSkipHeaderRecord(true)
        .build();
    try (var parser = f.parse(new java.io.StringReader(text))) {
      List<String> names = new ArrayList<>(parser.getHeaderNames());
      names.removeAll(List.of("Starttime", "JobRuntime", "Command", "MaxRSSkB", "UserSec",
          "SysSec", "StdoutFile", "StderrFile"));
      sb.append(names).append('\n');
      for (var r : parser.getRecords()) {
        for (String n : names) {
          sb.append(r.get(n)).append('|');
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private static String show(String s) {
    return "'" + s.replace("\n", "\\n").replace("\t", "\\t") + "'";
  }

  private void fixtures() throws Exception {
    write("f1", "x\ny\n");
    write("f2", "1\n2\n3\n");
    write("f3", "A\nB\nC\n");
    write("paths.txt", "/a/b.c/d.e.txt\nx.y\n./x\ndir/sub/file.tar.gz\nnoext\n");
    write("cols.tsv", "a\tb\tc\n1\t2\t3\n");
    write("h.csv", "n,v\na,1\nb,2\n");
    write("q.csv", "a,\"b,c\",d\n\"multi\nline\",x,\"q\"\"uote\"\n");
    write("hq.csv", "name,val\n\"a b\",1\n\"c,d\",2\n");
    write("gaps.csv", "a,b\n\nc,d\n");
    write("nul", "a b\0c\0");
    write("empty.txt", "");
  }

  private void write(String name, String content) throws Exception {
    Files.write(dir.resolve(name), content.getBytes(StandardCharsets.ISO_8859_1));
  }
}
