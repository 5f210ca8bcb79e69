package jpack.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jpack.joblog.JobLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir
  Path dir;

  private static final long T0 = 1_796_000_000_000L;

  /** A log line as jpack writes it: seq, start (ms after T0), runtime (ms), exit, signal. */
  private static String line(long seq, long at, long ms, int exit, int signal) {
    return JobLog.line(seq, ":", T0 + at, ms * 1_000_000L, 0, 0, exit, signal, "./t.sh " + seq);
  }

  private Path log(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, JobLog.HEADER + "\n" + String.join("", lines));
    return p;
  }

  @Test
  void countsCausesSlotsUtilisationAndTailWaste() throws IOException {
    // two slots: slot A runs 1 (0-10 s), 3 (10-20 s); slot B runs 2 (0-5 s), 4 (5-30 s, last)
    Path p = log("run.tsv",
        line(2, 0, 5000, 0, 0),
        line(1, 0, 10000, 0, 0),
        line(3, 10000, 10000, 3, 0),          // exit status
        line(4, 5000, 25000, -1, 15),          // a --timeout stop
        line(5, 30000, 1000, -1, 9),           // out of memory (in LOG.usage)
        line(6, 31000, 1000, -1, 11));         // a signal
    Files.writeString(JobLog.usagePath(p), JobLog.USAGE_HEADER + "\n"
        + "1\t:\t" + (T0 / 1000) + ".000\t10240\t9.000000\t1.000000\t\n"
        + "5\t:\t" + ((T0 + 30000) / 1000) + ".000\t204800\t0.500000\t0.000000\t1\n");
    Report r = Report.of(List.of(p), 1);
    assertEquals(6, r.tasks());
    assertEquals(2, r.tasksBy(Runs.OK));
    assertEquals(1, r.tasksBy(Runs.EXIT));
    assertEquals(1, r.tasksBy(Runs.TIMEOUT));
    assertEquals(1, r.tasksBy(Runs.OOM));
    assertEquals(1, r.tasksBy(Runs.SIGNAL));
    assertEquals(2, r.slots());
    assertEquals(32000, r.lastEnd() - r.firstStart());
    assertEquals(52000, r.busyMs());
    assertEquals(2 * 32000, r.heldSlotMs(), 0.1);
    // last start at 31 s, end 32 s: 2 slots x 1 s, of which task 6 ran 1 s (task 5 ended at 31)
    assertEquals(1000, r.tailWasteMs());
    String text = r.text();
    assertTrue(text.contains("6: 2 done, 4 failed (1 exit status, 1 signal, 1 timeout, 1 out of"
        + " memory)"), text);
    assertTrue(text.contains("utilisation 81.3 %"), text);
    assertTrue(text.contains("peak memory median 10 MB, p95 200 MB, max 200 MB (2 of 6 runs"
        + " measured)"), text);
    assertTrue(text.contains("slowest     25.0 s     seq 4, timeout  ./t.sh 4"), text);
    assertTrue(text.contains("not run     unknown"), text);
  }

  @Test
  void aTaskCountsByItsLastRunAndGapsAreNamed() throws IOException {
    Path p = log("run.tsv",
        line(1, 0, 1000, 1, 0),
        line(3, 0, 1000, 0, 0),
        line(1, 2000, 1000, 0, 0)); // a retry that worked
    Report r = Report.of(List.of(p), 1);
    assertEquals(2, r.tasks());
    assertEquals(2, r.tasksBy(Runs.OK));
    String text = r.text();
    assertTrue(text.contains("3 runs logged: 1 reruns"), text);
    assertTrue(text.contains("highest seq 3; 1 below it in no log given"), text);
    assertTrue(text.contains("peak memory unknown (no LOG.usage"), text);
  }

  @Test
  void severalLogsAreShardsWithARowEach() throws IOException {
    Path a = log("log.1.tsv", line(1, 0, 60_000, 0, 0), line(3, 0, 60_000, 0, 0));
    Path b = log("log.2.tsv", line(2, 500_000, 30_000, 0, 0), line(4, 530_000, 30_000, 2, 0));
    Report r = Report.of(List.of(a, b), 4);
    assertEquals(3, r.slots()); // two at once in shard 1, one in shard 2
    assertEquals(2 * 60_000 + 60_000, r.heldSlotMs(), 0.1);
    String text = r.text();
    assertTrue(text.contains("2 job logs (shards)"), text);
    assertTrue(text.matches("(?s).*\\n1 +log\\.1\\.tsv +2 +0 +2 .*"), text);
    assertTrue(text.matches("(?s).*\\n2 +log\\.2\\.tsv +2 +1 +1 .*"), text);
    // held: 180 slot-s x 4 CPUs = 0.2 core-hours
    assertTrue(text.contains("0.20 held (slots x makespan x 4 CPUs a slot)"), text);
  }

  @Test
  void theGreedySlotsAllowTheLogsMillisecondRounding() throws IOException {
    // the second task of a slot starts 2 ms before the first's logged end: the same slot
    Path p = log("run.tsv", line(1, 0, 1000, 0, 0), line(2, 998, 1000, 0, 0));
    assertEquals(1, Report.of(List.of(p), 1).slots());
    Path q = log("run2.tsv", line(1, 0, 1000, 0, 0), line(2, 990, 1000, 0, 0));
    assertEquals(2, Report.of(List.of(q), 1).slots());
  }

  @Test
  void theHtmlHasARowPerSlotAndABarPerRun() throws IOException {
    Path p = log("run.tsv", line(1, 0, 1000, 0, 0), line(2, 0, 2000, 0, 0),
        line(3, 1000, 500, 1, 0), line(4, 2000, 10, 0, 0));
    String html = HtmlReport.render(Report.of(List.of(p), 1));
    assertEquals(2, count(html, "<g class=\"slot\""));
    assertEquals(4, count(html, "<rect class=\"run"));
    assertEquals(1, count(html, "<rect class=\"run fail exit"));
    assertTrue(!html.contains("<script") && !html.contains("http://") || !html.contains("src="),
        "self-contained");
    assertTrue(html.contains("<pre class=\"summary\" id=\"summary\">jpack report"), html);
  }

  @Test
  void aBigPackIsDrawnInCellsWithinItsBudget() throws IOException {
    StringBuilder sb = new StringBuilder();
    // 8 slots, 2,000 runs each of 1 s, every 97th failing
    for (int i = 0; i < 16_000; i++) {
      sb.append(line(i + 1, (i / 8) * 1000L, 1000, i % 97 == 0 ? 1 : 0, 0));
    }
    Path p = log("big.tsv", sb.toString());
    Report r = Report.of(List.of(p), 1);
    String html = HtmlReport.render(r);
    assertEquals(8, r.slots());
    assertEquals(8, count(html, "<g class=\"slot\""));
    assertEquals(0, count(html, "<rect class=\"run"));
    assertTrue(html.contains("data-mode=\"cells\""), "cells");
    assertTrue(count(html, "<rect class=\"tick exit") > 100, "failures ticked");
    assertTrue(html.length() < 400_000, html.length() + " bytes");
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
