package jpack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import jpack.config.SystemLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The entry chain in-process: options, messages and exit codes (no task runs here but echo). */
@Timeout(30)
class CliTest {
  record Result(int code, String out, String err) {}

  static Result run(String input, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)),
        Channels.newChannel(out), Channels.newChannel(err));
    return new Result(code, out.toString(StandardCharsets.ISO_8859_1),
        err.toString(StandardCharsets.ISO_8859_1));
  }

  @Test
  void helpShowsGroupsAndExamples() {
    Result r = run("", "--help");
    assertEquals(0, r.code());
    for (String s : new String[] {"Input:", "Command building:", "Concurrency:", "Output and progress:", "Restart, failures",
        "Examples:", "jpack -a greetings.txt -L 1 -P 8 ./greet.sh", "--max-procs", "HPC allocation",
        "--process-slot-var", "--keep-order", "--line-buffer", "--tag", "Several hosts:",
        "--hostfile", "--hosts", "--launcher"}) {
      assertTrue(r.out().contains(s), "help lacks " + s);
    }
  }

  @Test
  void hostOptionsThatCannotWorkTogetherAreRefusedInOneLine() {
    String[][] cases = {
        {"--launcher", "srun"},
        {"--hosts", "a", "--hostfile", "f"},
        {"--hosts", "a", "--mem-per-task", "1G"},
        {"--hosts", "a", "--launcher", "ssh -o 'x"},
        {"--env", "PATH"},
        {"--hosts", "a", "--env", "PATH,A-B"}};
    String[] wanted = {
        "jpack: --launcher needs --hosts or --hostfile",
        "jpack: --hostfile and --hosts cannot be used together",
        "jpack: --mem-per-task cannot be used with --hosts or --hostfile",
        "jpack: invalid --launcher 'ssh -o 'x': unmatched '",
        "jpack: --env needs --hosts or --hostfile",
        "jpack: invalid --env name 'A-B'"};
    for (int i = 0; i < cases.length; i++) {
      Result r = run("", cases[i]);
      assertEquals(1, r.code(), String.join(" ", cases[i]));
      assertTrue(r.err().startsWith(wanted[i]), r.err());
    }
  }

  @Test
  void workerRefusesWhatNeedsSeveralItemsPerTaskOrStreamedOutput() {
    String[][] cases = {{"-n", "2"}, {"-0"}, {"-u"}, {"-P", "0"}, {"--hosts", "a"}};
    String[] wanted = {"-n, -L and -I", "-0 and -d", "-u and --line-buffer", "-P 0",
        "--hosts and --hostfile"};
    for (int i = 0; i < cases.length; i++) {
      String[] args = new String[cases[i].length + 1];
      args[0] = "--worker";
      System.arraycopy(cases[i], 0, args, 1, cases[i].length);
      Result r = run("", args);
      assertEquals(1, r.code(), String.join(" ", args));
      assertTrue(r.err().startsWith("jpack: --worker (a task per input line, its output whole)"
          + " cannot be used with " + wanted[i] + "\n"), r.err());
    }
  }

  @Test
  void aHostfileThatIsMissingIsNamed() {
    Result r = run("x\n", "--hostfile", "/nonexistent/hosts", "true");
    assertEquals(1, r.code());
    assertEquals("jpack: --hostfile '/nonexistent/hosts': No such file or directory\n", r.err());
  }

  @Test
  void versionNamesJavaToo() {
    Result r = run("", "--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("jpack "), r.out());
    assertTrue(r.out().contains("Java " + Runtime.version().feature()), r.out());
  }

  @Test
  void badValuesAreOneLineErrorsWithStatusOne() {
    for (String[] args : new String[][] {{"-n", "0"}, {"-P", "-1"}, {"-P", "x"}, {"-s", "-1"},
        {"-d", "ab"}, {"--bogus"}, {"-z"}, {"-L"}}) {
      Result r = run("", args);
      assertEquals(1, r.code(), String.join(" ", args));
      assertTrue(r.err().startsWith("jpack: "), r.err());
      assertEquals(2, r.err().lines().count(), r.err()); // the error and the --help hint
      assertTrue(!r.err().contains("Exception"), r.err());
    }
  }

  @Test
  void mistypedLongOptionGetsASuggestion() {
    Result r = run("", "--keep-ordr");
    assertTrue(r.err().contains("--keep-order"), r.err());
  }

  @Test
  void conflictingGroupingOptionsWarnAndTheLastWins() {
    Result r = run("a b c\n", "-L", "1", "-n", "2", "echo");
    assertEquals("jpack: warning: options --max-lines and --max-args/-n are mutually exclusive,"
        + " ignoring previous --max-lines value\n", r.err());
    assertEquals("a b\nc\n", r.out());
  }

  @Test
  void hugeCountsAreClamped() {
    assertEquals(0, run("", "-n", "18446744073709551615", "-P", "1", "true").code());
  }

  @Test
  void delimiterEscapes() throws Exception {
    assertEquals('\n', InputConfig.delimiter("\\n"));
    assertEquals(0, InputConfig.delimiter("\\0"));
    assertEquals(0xe9, InputConfig.delimiter("\\xe9"));
    assertEquals('\\', InputConfig.delimiter("\\\\"));
    assertEquals('o', InputConfig.delimiter("o"));
  }

  @Test
  void maxCharsIsCappedBySystemLimits() {
    SystemLimits l = SystemLimits.of(8L * 1024 * 1024, Map.of("A", "b"));
    assertEquals(2L * 1024 * 1024, l.argMax());
    assertTrue(l.usable() < l.posixUpper());
    assertEquals(131072, l.defaultMaxChars());
  }

  @Test
  void atFilesAreNotExpanded() {
    Result r = run("", "-P", "1", "echo", "@/etc/hostname");
    assertEquals("@/etc/hostname\n", r.out());
  }

  @Test
  void helpReadsCleanlyAt80ColumnsAndUsesAWiderTerminal() {
    for (int width : new int[] {80, 120}) {
      picocli.CommandLine cl = Cli.commandLine();
      cl.setUsageHelpWidth(Cli.helpWidth(String.valueOf(width)));
      String help = cl.getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
      int widest = 0;
      String[] lines = help.split("\n");
      for (int i = 0; i < lines.length; i++) {
        widest = Math.max(widest, lines[i].length());
        // a description's continuation is indented under it: a line that starts a new
        // sentence fragment at the option column was a hard break picocli wrapped again
        org.junit.jupiter.api.Assertions.assertFalse(lines[i].matches(" {32}[a-z].*"),
            "a ragged line " + i + " at " + width + " columns: '" + lines[i] + "'");
      }
      org.junit.jupiter.api.Assertions.assertTrue(widest <= width, widest + " > " + width);
      org.junit.jupiter.api.Assertions.assertTrue(widest > width - 10, "too narrow: " + widest);
    }
    org.junit.jupiter.api.Assertions.assertEquals(80, Cli.helpWidth(null));
  }

  @Test
  void sweepMarkersAreOrdinaryArgumentsInXargsMode() {
    Result r = run("x\n", "--dry-run", "echo", ":::", "a");
    assertEquals("echo ::: a x\n", r.out());
    assertEquals(0, r.code());
  }

  @Test
  void dryRunPrintsTheSweepAndTheShardsPart() {
    assertEquals("echo a 1\necho a 2\necho b 1\necho b 2\n",
        run("", "--placeholders", "--dry-run", "echo", ":::", "a", "b", ":::", "1", "2").out());
    assertEquals("echo 2 a 2\necho 4 b 2\n", run("", "--placeholders", "--dry-run", "--shard",
        "2/2", "echo", "{#}", "{}", ":::", "a", "b", ":::", "1", "2").out());
    assertEquals("cp x.txt x.bak\n", run("x.txt\n", "--dry-run", "-I{}", "cp", "{}",
        "x.bak").out());
  }

  @Test
  void sweepOptionsNeedPlaceholders() {
    for (String o : new String[] {"--link", "--csv", "--colsep=,", "--header=:"}) {
      Result r = run("", o, "echo");
      assertEquals(1, r.code(), o);
      assertTrue(r.err().contains("needs --placeholders"), r.err());
    }
    Result r = run("", "--placeholders", "--colsep=(", "echo", ":::", "a");
    assertTrue(r.err().startsWith("jpack: invalid --colsep '('"), r.err());
    r = run("", "--placeholders", "--csv", "--colsep=ab", "echo", ":::", "a");
    assertTrue(r.err().contains("one-character --colsep"), r.err());
  }

  @Test
  void aSweepInputErrorIsReported() {
    Result r = run("", "--placeholders", "--dry-run", "echo", "::::", "/no/such/file");
    assertEquals(1, r.code());
    assertEquals("jpack: cannot open input file '/no/such/file': No such file or directory\n",
        r.err());
  }
}
