package jpack.joblog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoggedTasksTest {
  private static String line(long seq, int exit, int signal, String command) {
    return JobLog.line(seq, ":", 1732546000123L, 51_000_000L, 0, 3, exit, signal, command);
  }

  private static LoggedTasks scan(String text, long shard, long shards) throws IOException {
    return LoggedTasks.scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)),
        shard, shards);
  }

  @Test
  void readsWhatJobLogWritesAndIgnoresTheRest() throws IOException {
    LoggedTasks t = scan(JobLog.HEADER + "\n" + line(1, 0, 0, "echo a") + "# a comment\n"
        + line(2, 3, 0, "echo b") + line(4, -1, 15, "echo 'd\te'") + "5\tjunk\n", 0, 0);
    assertEquals(LoggedTasks.Status.SUCCEEDED, t.status(1));
    assertEquals(LoggedTasks.Status.FAILED, t.status(2));
    assertEquals(LoggedTasks.Status.ABSENT, t.status(3));
    assertEquals(LoggedTasks.Status.FAILED, t.status(4));
    assertEquals(LoggedTasks.Status.ABSENT, t.status(5));
    assertTrue(t.sameCommand(1, "echo a"));
    assertFalse(t.sameCommand(1, "echo b"));
    assertTrue(t.sameCommand(4, "echo 'd\te'"), "a TAB in the command stays in the command");
    assertEquals(3, t.size());
    assertEquals(4, t.maxSeq());
  }

  @Test
  void aLastLineWithoutItsNewlineIsNoTask() throws IOException {
    String torn = line(2, 0, 0, "sh -c 'sleep 1'");
    LoggedTasks t = scan(line(1, 0, 0, "a") + torn.substring(0, torn.length() - 4), 0, 0);
    assertEquals(LoggedTasks.Status.ABSENT, t.status(2), "nine fields, but torn");
    assertEquals(1, t.size());
  }

  @Test
  void aLaterLineForTheSameSeqWinsAndBytesAreHashedAsWritten() throws IOException {
    String latin = "echo \u00e9\u00ff";
    LoggedTasks t = scan(line(7, 1, 0, latin) + line(7, 0, 0, latin), 0, 0);
    assertEquals(LoggedTasks.Status.SUCCEEDED, t.status(7));
    assertTrue(t.sameCommand(7, latin));
    assertEquals(1, t.size());
  }

  @Test
  void aShardKeepsItsOwnTasksAndNotesAForeignOne() throws IOException {
    LoggedTasks mine = scan(line(3, 0, 0, "a") + line(6, 0, 0, "b"), 3, 3);
    assertEquals(0, mine.foreignSeq());
    assertEquals(LoggedTasks.Status.SUCCEEDED, mine.status(6));
    LoggedTasks other = scan(line(3, 0, 0, "a") + line(5, 0, 0, "b"), 3, 3);
    assertEquals(5, other.foreignSeq());
    assertEquals(LoggedTasks.Status.ABSENT, other.status(5));
  }

  @Test
  void aMillionTasksTakeAboutFourBytesEach() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 1_000_000; i++) {
      sb.append(line(i, i % 10 == 0 ? 1 : 0, 0, "task " + i));
    }
    Runtime rt = Runtime.getRuntime();
    byte[] bytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    sb = null;
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    LoggedTasks t = LoggedTasks.scan(new ByteArrayInputStream(bytes), 0, 0);
    System.gc();
    long used = rt.totalMemory() - rt.freeMemory() - before;
    assertEquals(1_000_000, t.size());
    assertEquals(LoggedTasks.Status.FAILED, t.status(999_990));
    assertTrue(t.sameCommand(123_456, "task 123456"));
    assertTrue(used < 12L << 20, "resume table: " + (used >> 20) + " MB for a million tasks");
  }

  @Test
  void aHugeSeqIsIgnoredNotAllocated() throws IOException {
    LoggedTasks t = scan(line(1L << 50, 0, 0, "x") + line(1, 0, 0, "y"), 0, 0);
    assertEquals(1, t.size());
  }

  /** A stream that gives one byte a read: every line and field crosses a refill. */
  private static LoggedTasks trickle(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return LoggedTasks.scan(new java.io.InputStream() {
      int i;

      @Override
      public int read() {
        return i < bytes.length ? bytes[i++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (i >= bytes.length) {
          return -1;
        }
        b[off] = bytes[i++];
        return 1;
      }
    }, 0, 0);
  }

  @Test
  void fieldsAndLinesMayCrossEveryReadAndALineMayOutgrowTheBuffer() throws IOException {
    String longCommand = "echo " + "x\t".repeat(700_000); // 2.1 MB: longer than the buffer
    String text = JobLog.HEADER + "\n" + line(1, 0, 0, "echo a") + "1\t2\t3\n"
        + line(2, 1, 0, "echo 'b\tc'") + line(3, 0, 0, longCommand) + line(4, 0, 0, "")
        + "5\t:\tnot-a-time\t1.0\t0\t0\t0\t0\tx\n";
    for (LoggedTasks t : new LoggedTasks[] {scan(text, 0, 0), trickle(text)}) {
      assertEquals(LoggedTasks.Status.SUCCEEDED, t.status(1));
      assertEquals(LoggedTasks.Status.FAILED, t.status(2));
      assertTrue(t.sameCommand(2, "echo 'b\tc'"));
      assertTrue(t.sameCommand(3, longCommand));
      assertFalse(t.sameCommand(3, longCommand + "x"));
      assertTrue(t.sameCommand(4, ""), "an empty Command is still a task line");
      assertEquals(LoggedTasks.Status.ABSENT, t.status(5), "a Starttime that is no time");
      assertEquals(4, t.size());
    }
  }

  @Test
  void aLogWithUsageReadsAsOneWithout() throws IOException {
    JobLog.Usage used = new JobLog.Usage(10240, 1_250_000, 31_000);
    String with = JobLog.line(1, ":", 1732546000123L, 1, 0, 0, 0, 0, "a", used).log()
        + JobLog.line(2, "h1", 1732546000124L, 1, 0, 0, 1, 0, "b", used).log()
        + JobLog.line(3, ":", 1732546000125L, 1, 0, 0, 0, 0, "c", JobLog.Usage.UNKNOWN).log();
    String without = JobLog.line(1, ":", 1732546000123L, 1, 0, 0, 0, 0, "a")
        + JobLog.line(2, "h1", 1732546000124L, 1, 0, 0, 1, 0, "b")
        + JobLog.line(3, ":", 1732546000125L, 1, 0, 0, 0, 0, "c");
    assertEquals(without, with, "the usage never enters the log");
    LoggedTasks t = scan(with, 0, 0);
    assertEquals(LoggedTasks.Status.FAILED, t.status(2));
    assertTrue(t.sameCommand(3, "c"));
  }

  @Test
  void aLogReadInTwoHalvesAtOnceReadsAsInOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    StringBuilder sb = new StringBuilder(JobLog.HEADER + "\n");
    for (int i = 1; i <= 3000; i++) {
      sb.append(line(i, i % 7 == 0 ? 1 : 0, 0, "task " + i));
    }
    for (int i = 1; i <= 3000; i += 10) { // reruns, in the second half: they win
      sb.append(line(i, i % 20 == 1 ? 2 : 0, 0, "task " + i));
    }
    sb.append(line(9999, 0, 0, "torn").substring(0, 9));
    java.nio.file.Path log = dir.resolve("log");
    java.nio.file.Files.writeString(log, sb, StandardCharsets.ISO_8859_1);
    for (long[] shard : new long[][] {{0, 0}, {2, 3}}) {
      LoggedTasks one = LoggedTasks.read(log, shard[0], shard[1], Long.MAX_VALUE);
      for (long splitAt : new long[] {0, 1000}) {
        LoggedTasks two = LoggedTasks.read(log, shard[0], shard[1], splitAt);
        assertEquals(one.size(), two.size());
        assertEquals(one.maxSeq(), two.maxSeq());
        assertEquals(one.foreignSeq(), two.foreignSeq());
        for (int i = 1; i <= 3001; i++) {
          assertEquals(one.status(i), two.status(i), "seq " + i);
          assertEquals(one.sameCommand(i, "task " + i), two.sameCommand(i, "task " + i));
        }
      }
    }
    LoggedTasks all = LoggedTasks.read(log, 0, 0, 0);
    assertEquals(3000, all.size());
    assertEquals(LoggedTasks.Status.FAILED, all.status(1), "succeeded, then its rerun failed");
    assertEquals(LoggedTasks.Status.SUCCEEDED, all.status(91), "91 = 13 * 7 failed, then succeeded");
    assertEquals(LoggedTasks.Status.ABSENT, all.status(9999));
    java.nio.file.Files.writeString(log, "1\t:\t1.0\t1.0\t0\t0\t0\t0\t" + "x".repeat(5000) + "\n");
    assertEquals(1, LoggedTasks.read(log, 0, 0, 0).size(), "no newline after the middle");
    assertEquals(0, LoggedTasks.read(dir.resolve("none"), 0, 0, 0).size());
  }
}
