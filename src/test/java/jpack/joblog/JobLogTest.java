package jpack.joblog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLogTest {
  private static final long START = 1732546000123L;

  @TempDir Path dir;

  private static JobLog open(Path log) throws IOException {
    return JobLog.open(log, false, true, 0, 0, w -> { throw new AssertionError(w); });
  }

  @Test
  void theNineColumnLineIsUnchanged() {
    assertEquals("7\t:\t1732546000.123\t     0.051\t0\t3\t-1\t15\techo a\n",
        JobLog.line(7, ":", START, 51_000_000L, 0, 3, -1, 15, "echo a"));
  }

  @Test
  void usageGoesToTheCompanionFileKeyedLikeItsLogLine() throws IOException {
    Path log = dir.resolve("run.tsv");
    try (JobLog j = open(log)) {
      j.append(JobLog.line(1, ":", START, 51_000_000L, 0, 3, 0, 0, "echo a",
          new JobLog.Usage(10240, 1_250_000, 31_000)));
      j.append(JobLog.line(2, ":", START + 1, 1, 0, 0, 1, 0, "echo b", JobLog.Usage.UNKNOWN));
      j.append(JobLog.line(3, "node7", START + 1002, 1, 0, 0, -1, 9, "echo c",
          new JobLog.Usage(-1, 0, 999_999)));
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    assertEquals(JobLog.HEADER, lines.get(0));
    assertEquals(4, lines.size());
    for (String l : lines) {
      assertEquals(9, l.split("\t", -1).length, l);
    }
    assertEquals(JobLog.line(1, ":", START, 51_000_000L, 0, 3, 0, 0, "echo a"),
        lines.get(1) + "\n");
    Path usage = dir.resolve("run.tsv.usage");
    assertEquals(usage, JobLog.usagePath(log));
    assertEquals(List.of(JobLog.USAGE_HEADER,
        "1\t:\t1732546000.123\t10240\t1.250000\t0.031000\t",
        "3\tnode7\t1732546001.125\t\t0.000000\t0.999999\t"),
        Files.readAllLines(usage, StandardCharsets.ISO_8859_1),
        "nothing for task 2, nothing made up for task 3's memory");
    LoggedTasks done = LoggedTasks.read(log);
    assertEquals(3, done.size());
    assertEquals(LoggedTasks.Status.FAILED, done.status(3));
  }

  @Test
  void noFigureNoFileAndAnUnknownLineHasNoUsage() throws IOException {
    assertNull(JobLog.line(1, ":", START, 1, 0, 0, 0, 0, "a", JobLog.Usage.UNKNOWN).usage());
    assertFalse(JobLog.Usage.UNKNOWN.known());
    assertTrue(new JobLog.Usage(0, -1, -1).known());
    assertThrows(IllegalArgumentException.class, () -> new JobLog.Usage(-2, 0, 0));
    Path log = dir.resolve("log");
    try (JobLog j = open(log)) {
      j.append(JobLog.line(1, ":", START, 1, 0, 0, 0, 0, "a", JobLog.Usage.UNKNOWN));
      j.append(JobLog.line(2, ":", START, 1, 0, 0, 0, 0, "b"));
    }
    assertFalse(Files.exists(JobLog.usagePath(log)));
    assertEquals(3, Files.readAllLines(log).size());
  }

  @Test
  void aLaterRunAppendsToTheCompanionFileAndCutsOffATornPiece() throws IOException {
    Path log = dir.resolve("log");
    JobLog.Usage u = new JobLog.Usage(1, 2, 3);
    try (JobLog j = open(log)) {
      j.append(JobLog.line(1, ":", START, 1, 0, 0, 0, 0, "a", u));
    }
    Files.writeString(JobLog.usagePath(log), "2\t:\t17325", java.nio.file.StandardOpenOption.APPEND);
    try (JobLog j = open(log)) {
      j.append(JobLog.line(2, ":", START, 1, 0, 0, 0, 0, "b", u));
    }
    assertEquals(List.of(JobLog.USAGE_HEADER, "1\t:\t1732546000.123\t1\t0.000002\t0.000003\t",
        "2\t:\t1732546000.123\t1\t0.000002\t0.000003\t"), Files.readAllLines(JobLog.usagePath(log)));
  }

  @Test
  void aShardEndsATornPieceInsteadOfCuttingIt() throws IOException {
    Path log = dir.resolve("log");
    Files.writeString(JobLog.usagePath(log), JobLog.USAGE_HEADER + "\n2\t:\t17325");
    try (JobLog j = JobLog.open(log, false, false, 1, 2, w -> { })) {
      j.append(JobLog.line(1, ":", START, 1, 0, 0, 0, 0, "a", new JobLog.Usage(1, 2, 3)));
    }
    assertEquals(List.of(JobLog.USAGE_HEADER, "2\t:\t17325",
        "1\t:\t1732546000.123\t1\t0.000002\t0.000003\t"), Files.readAllLines(JobLog.usagePath(log)));
  }
}
