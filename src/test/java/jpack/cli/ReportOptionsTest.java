package jpack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** --report and --plan on the entry chain: they run nothing, and refuse what makes no sense. */
@Timeout(30)
class ReportOptionsTest {
  @TempDir Path tmp;

  @Test
  void thePlanOfTheLessonOnStdout() {
    CliTest.Result r = CliTest.run("", "--plan", "--tasks", "1000", "--task-time", "6h",
        "--node-cpus", "48", "--node-mem", "192G");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("126 node-hours"), r.out());
    assertTrue(r.out().contains("6,000 node-hours"), r.out());
  }

  @Test
  void theScriptCarriesTheRunsOptionsAndCommand() {
    CliTest.Result r = CliTest.run("", "--plan", "--tasks", "1000", "--task-time", "6h",
        "--node-cpus", "48", "--node-mem", "192G", "--mem-per-task", "10G", "--plan-script",
        "pbs", "-a", "tasks.txt", "-L", "1", "--joblog", "x.tsv", "./task.sh", "{}");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("#PBS -J 1-53\n"), r.out());
    assertTrue(r.out().endsWith("\njpack --shard auto/53 --joblog log.{shard}.tsv --resume"
        + " --arg-file=tasks.txt --max-lines=1 --mem-per-task=10G ./task.sh {}\n"), r.out());
  }

  @Test
  void whatMakesNoSenseIsRefusedInOneLine() {
    String[][] cases = {
      {"--plan", "--tasks", "10", "--task-time", "1h", "--mem-per-task", "auto"},
      {"--plan", "--tasks", "10"},
      {"--plan"},
      {"--plan", "--tasks", "10", "--task-time", "1h", "--plan-script", "lsf"},
      {"--report-html", "x.html", "echo"},
      {"--tasks", "10", "echo"},
      {"--plan", "--report", "a.tsv"},
      {"--report", "a.tsv", "b.tsv", "--report-html", "x.html"},
    };
    String[] expect = {
      "jpack: --mem-per-task auto learns from the tasks of a run: a plan needs a SIZE",
      "jpack: --plan --tasks needs --task-time DURATION",
      "jpack: --plan needs --tasks N",
      "jpack: invalid --plan-script 'lsf': use slurm or pbs",
      "jpack: --report-html needs --report LOG",
      "jpack: --tasks needs --plan",
      "jpack: --report and --plan cannot be used together",
      "jpack: --report LOG...: the logs come last",
    };
    for (int i = 0; i < cases.length; i++) {
      CliTest.Result r = CliTest.run("", cases[i]);
      assertEquals(1, r.code(), String.join(" ", cases[i]));
      assertTrue(r.err().startsWith(expect[i]), r.err());
    }
  }

  @Test
  void aMissingLogIsOneLine() {
    CliTest.Result r = CliTest.run("", "--report", tmp.resolve("none.tsv").toString());
    assertEquals(1, r.code());
    assertEquals("jpack: cannot read the job log '" + tmp.resolve("none.tsv")
        + "': no such file\n", r.err());
  }

  @Test
  void aReportOfALogAndItsPage() throws Exception {
    Path log = tmp.resolve("run.tsv");
    Files.writeString(log, "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\t"
        + "Command\n1\t:\t1796000000.000\t     2.000\t0\t0\t0\t0\techo 1\n"
        + "2\t:\t1796000000.001\t     1.000\t0\t0\t1\t0\techo 2\n");
    Path html = tmp.resolve("r.html");
    CliTest.Result r = CliTest.run("", "--report-html", html.toString(), "--report",
        log.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("tasks       2: 1 done, 1 failed (1 exit status)"), r.out());
    assertTrue(r.out().contains("slots       2 "), r.out());
    assertTrue(Files.readString(html).contains("<g class=\"slot\" id=\"s1-r1\""), "page");
  }
}
