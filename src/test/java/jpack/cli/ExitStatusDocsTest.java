package jpack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jpack.config.ExitStatus;
import org.junit.jupiter.api.Test;

/**
 * ExitStatus is the one table of exit codes: --help and the man page print it, and README.md's
 * "Exit status" table must agree with it. Agreeing means: the same codes in the same order (none
 * missing, none extra), and each README meaning, code marks (`) removed, starts with ExitStatus's
 * meaning; what follows it is the README's extra detail.
 */
class ExitStatusDocsTest {
  /** README.md's "### Exit status" table: status, meaning. */
  static Map<String, String> readmeTable() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("README.md"));
    int at = lines.indexOf("### Exit status");
    assertTrue(at >= 0, "README.md has no ### Exit status");
    Map<String, String> rows = new LinkedHashMap<>();
    int i = at + 1;
    while (i < lines.size() && !lines.get(i).startsWith("|")) {
      i++;
    }
    assertEquals("| status | meaning |", lines.get(i).trim());
    for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\|");
      assertEquals(3, cells.length, "a row of two cells: " + lines.get(i));
      String code = cells[1].trim();
      assertTrue(rows.put(code, cells[2].trim()) == null, "two rows for " + code);
    }
    return rows;
  }

  @Test
  void theReadmeTableAgreesWithExitStatus() throws Exception {
    Map<String, String> readme = readmeTable();
    Map<String, String> table = ExitStatus.documented();
    assertEquals(new ArrayList<>(table.keySet()), new ArrayList<>(readme.keySet()),
        "README's codes, in ExitStatus' order");
    for (Map.Entry<String, String> e : table.entrySet()) {
      String meaning = readme.get(e.getKey()).replace("`", "");
      assertTrue(meaning.startsWith(e.getValue()), "README's " + e.getKey() + " says '" + meaning
          + "', ExitStatus '" + e.getValue() + "'");
    }
  }

  @Test
  void statusesAreDeclaredInTheOrderOfTheirCodesWith128PlusNInItsPlace() {
    int previous = -1;
    for (ExitStatus s : ExitStatus.values()) {
      assertTrue(s.code() > previous, s + " out of order");
      previous = s.code();
    }
    List<String> codes = new ArrayList<>(ExitStatus.documented().keySet());
    assertEquals(ExitStatus.values().length + 1, codes.size());
    assertEquals(codes.indexOf("141") - 1, codes.indexOf(ExitStatus.SIGNALLED_CODES));
    assertEquals("jpack was stopped by signal 15", ExitStatus.meaningOf(ExitStatus.signalled(15)));
  }

  @Test
  void helpAndManPagePrintEveryStatus() {
    picocli.CommandLine cl = Cli.commandLine();
    cl.setUsageHelpWidth(80);
    String help = cl.getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
    String man = DocGen.manPage("test");
    int helpAt = help.indexOf("\nExit status:\n");
    int manAt = man.indexOf(".SH EXIT STATUS\n");
    assertTrue(helpAt > help.indexOf("\nExamples:\n"), "exit statuses after the examples");
    for (Map.Entry<String, String> e : ExitStatus.documented().entrySet()) {
      // at 80 columns each meaning fits on the line of its code
      String line = String.format("  %-7s%s\n", e.getKey(), e.getValue());
      int h = help.indexOf(line);
      assertTrue(h > helpAt, "help lacks " + line);
      helpAt = h;
      String entry = ".TP\n.B " + DocGen.esc(e.getKey()) + "\n" + DocGen.esc(e.getValue()) + "\n";
      int m = man.indexOf(entry);
      assertTrue(m > manAt, "man page lacks " + entry);
      manAt = m;
    }
  }
}
