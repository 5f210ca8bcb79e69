package jpack.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tasks on other hosts through a real sshd: src/test/sh/sshd.sh starts one on 127.0.0.1 and
 * 127.0.0.2 (two "nodes") with its own keys. Without sshd the tests skip, unless
 * JPACK_REQUIRE_SSHD is set (CI), where a skip is a failure.
 */
@Timeout(180)
class SshIT {
  private static String sshConfig;
  private static String launcher;

  @BeforeAll
  static void startSshd() throws Exception {
    sshConfig = Proc.startService("/usr/sbin/sshd", "sshd (openssh-server)",
        "JPACK_REQUIRE_SSHD", "sshd.sh", "start", Proc.HOME.resolve("target/it-sshd").toString());
    launcher = "ssh -F " + sshConfig;
  }

  private static Proc.Result jpack(Path dir, Map<String, String> env, String... args)
      throws Exception {
    return Proc.run(Proc.prepend(Proc.JPACK, args), null, env, dir.toFile(),
        Duration.ofSeconds(120));
  }

  /** Every byte of every argument arrives: spaces, quotes, $, ;, *, backslashes, newlines. */
  @Test
  void argumentsSurviveSshQuotingByteForByte(@TempDir Path dir) throws Exception {
    List<String> items = List.of("a b", "it's", "\"dq\"", "$HOME", "`id`", "$(id)", ";echo x",
        "*", "back\\slash\\", "new\nline", "tab\there", "caf\u00e9 \u00ff\u0080", "!x", "{}",
        "--", "-n", "~", "a\\'b", "  lead and trail  ", "%s%%");
    StringBuilder in = new StringBuilder();
    StringBuilder want = new StringBuilder();
    for (String s : items) {
      in.append(s).append('\0');
      want.append('<').append(s).append(">\n");
    }
    Path input = dir.resolve("in");
    Files.write(input, in.toString().getBytes(StandardCharsets.ISO_8859_1));
    Proc.Result r = jpack(dir, Map.of(), "-0", "-a", input.toString(), "-n", "1", "-k",
        "-P", "3", "--hosts", "127.0.0.1,127.0.0.2", "--launcher", launcher,
        "printf", "<%s>\\n");
    assertEquals(0, r.code(), r.err());
    assertArrayEquals(want.toString().getBytes(StandardCharsets.ISO_8859_1), r.stdout());
    // and in the command template itself, with several arguments per task
    r = jpack(dir, Map.of(), "-0", "-a", input.toString(), "-n", "7", "-k", "--hosts",
        "127.0.0.2", "--launcher", launcher, "sh", "-c", "for a; do printf '[%s]' \"$a\"; done;"
            + " echo", "s h");
    assertEquals(0, r.code(), r.err());
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < items.size(); i += 7) {
      for (String s : items.subList(i, Math.min(items.size(), i + 7))) {
        w.append('[').append(s).append(']');
      }
      w.append('\n');
    }
    assertEquals(w.toString(), r.out());
  }

  /** Remote tasks run in jpack's directory with JPACK_SEQ, JPACK_SLOT, JPACK_HOST and JPACK_*. */
  @Test
  void remoteTasksGetTheDirectoryAndTheJpackVariables(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in");
    Files.writeString(input, "1\n2\n3\n4\n");
    Proc.Result r = jpack(dir, Map.of("JPACK_EXPERIMENT", "run 7", "NOT_JPACK", "x"), "-a",
        input.toString(), "-n", "1", "-P", "1", "--hosts", "127.0.0.1,127.0.0.2",
        "--launcher", launcher, "--joblog", "log.tsv", "sh", "-c",
        "echo \"$1|$(pwd)|$JPACK_SEQ|$JPACK_SLOT|$JPACK_HOST|$JPACK_EXPERIMENT|"
            + "${NOT_JPACK-unset}\"",
        "sh");
    assertEquals(0, r.code(), r.err());
    String d = dir.toRealPath().toString();
    Map<String, String> hostOfOutput = new TreeMap<>();
    for (String line : r.out().lines().toList()) {
      String[] f = line.split("\\|", -1);
      assertEquals(List.of(f[0], d, f[0], "0", f[4], "run 7", "unset"), List.of(f), line);
      hostOfOutput.put(f[0], f[4]);
    }
    assertEquals(Set.of("1", "2", "3", "4"), hostOfOutput.keySet(), r.out());
    assertEquals(Set.of("127.0.0.1", "127.0.0.2"), new TreeSet<>(hostOfOutput.values()),
        "-P 1 per host: both hosts work: " + r.out());
    assertEquals("127.0.0.1", hostOfOutput.get("1"), "the first task goes to the first host");
    List<String> log = Files.readAllLines(dir.resolve("log.tsv"));
    assertEquals(5, log.size());
    Map<String, String> hostOfLog = new TreeMap<>();
    for (String line : log.subList(1, 5)) {
      String[] f = line.split("\t");
      hostOfLog.put(f[0], f[1]);
    }
    assertEquals(hostOfOutput, hostOfLog, "the job log's Host column");
  }

  /** --retries runs a failed task again on the other host. */
  @Test
  void aRetryGoesToAnotherHost(@TempDir Path dir) throws Exception {
    Proc.Result r = jpack(dir, Map.of(), "-a", "/dev/null", "--hosts", "127.0.0.1,127.0.0.2",
        "--launcher", launcher, "--retries", "1", "--joblog", "log.tsv", "sh", "-c",
        "echo $JPACK_HOST >> hosts.txt; [ $JPACK_HOST = 127.0.0.2 ]");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("127.0.0.1", "127.0.0.2"), Files.readAllLines(dir.resolve("hosts.txt")));
    List<String> log = Files.readAllLines(dir.resolve("log.tsv"));
    assertEquals(2, log.size(), "the last attempt is logged: " + log);
    assertEquals("127.0.0.2", log.get(1).split("\t")[1]);
  }

  /** --status lists each running task with its host. */
  @Test
  void statusNamesTheHostOfEachRunningTask(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in");
    Files.writeString(input, "1\n2\n");
    String wait = "for i in $(seq 150); do grep -q \"\\\"seq\\\":$JPACK_SEQ,[^}]*\\\"host\\\":"
        + "\\\"$JPACK_HOST\\\"\" status.json 2>/dev/null && { echo seen $JPACK_HOST; exit 0; };"
        + " sleep 0.1; done; exit 1";
    Proc.Result r = jpack(dir, Map.of(), "-a", input.toString(), "-n", "1", "-P", "1",
        "--hosts", "127.0.0.1,127.0.0.2", "--launcher", launcher, "--status", "status.json",
        "--progress-interval", "0.2s", "sh", "-c", wait);
    assertEquals(0, r.code(), r.err() + Files.readString(dir.resolve("status.json")));
    assertEquals(List.of("seen 127.0.0.1", "seen 127.0.0.2"), Proc.sortedLines(r.out()));
  }

  /** --env passes more of jpack's variables, values byte for byte; unset ones stay unset. */
  @Test
  void envPassesNamedVariables(@TempDir Path dir) throws Exception {
    String odd = "it's a \"value\" with $dollar;\nnew line and caf\u00e9";
    Proc.Result r = jpack(dir, Map.of("MY_A", odd, "MY_B", "b", "MY_C", "not asked"),
        "-a", "/dev/null", "--hosts", "127.0.0.2", "--launcher", launcher, "--env", "MY_A",
        "--env", "MY_B,MY_UNSET", "sh", "-c",
        "printf '%s|%s|%s|%s' \"$MY_A\" \"$MY_B\" \"${MY_C-unset}\" \"${MY_UNSET-unset}\"");
    assertEquals(0, r.code(), r.err());
    assertEquals(odd + "|b|unset|unset", r.out());
  }

  /**
   * A host file's counts are slots: 2 on one host and 3 on the other run at once (a barrier
   * every task waits at until 5 have arrived), each host's JPACK_SLOT stays within its count.
   */
  @Test
  void hostfileSlotsRunAtOnceAndNoMore(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("hosts"), "127.0.0.1\n127.0.0.1\n# three here\n127.0.0.2:3\n");
    Files.createDirectory(dir.resolve("arrived"));
    Path input = dir.resolve("in");
    Files.writeString(input, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
    String task = "touch arrived/$1; i=0; while [ $(ls arrived | wc -l) -lt 5 ] && [ $i -lt 600 ];"
        + " do sleep 0.05; i=$((i+1)); done; echo \"$JPACK_HOST $JPACK_SLOT $i\"";
    Proc.Result r = jpack(dir, Map.of(), "-a", input.toString(), "-n", "1", "--hostfile",
        "hosts", "--launcher", launcher, "sh", "-c", task, "sh");
    assertEquals(0, r.code(), r.err());
    Map<String, Set<String>> slots = new HashMap<>();
    List<Integer> waits = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      String[] f = line.split(" ");
      slots.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[1]);
      waits.add(Integer.parseInt(f[2]));
    }
    assertEquals(Map.of("127.0.0.1", Set.of("0", "1"), "127.0.0.2", Set.of("0", "1", "2")),
        slots, r.out());
    assertTrue(waits.stream().allMatch(i -> i < 600), "every task saw 5 at once: " + waits);
  }

  /** A host that refuses ssh: its tasks go to the other host, it is dropped, all tasks run. */
  @Test
  void aRefusedHostIsDroppedAndItsTasksRunElsewhere(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in");
    Files.writeString(input, "1\n2\n3\n4\n5\n6\n7\n8\n");
    Proc.Result r = jpack(dir, Map.of(), "-a", input.toString(), "-n", "1", "-P", "2",
        "--hosts", "127.0.0.3,127.0.0.1", "--launcher", launcher, "--joblog", "log.tsv",
        "sh", "-c", "echo $1 $JPACK_HOST", "sh");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("1 127.0.0.1", "2 127.0.0.1", "3 127.0.0.1", "4 127.0.0.1",
        "5 127.0.0.1", "6 127.0.0.1", "7 127.0.0.1", "8 127.0.0.1"), Proc.sortedLines(r.out()));
    assertTrue(r.err().contains("jpack: dropping host 127.0.0.3: 3 launches in a row failed"
        + " there (exit 255)\n"), r.err());
    assertTrue(r.err().contains("could not be started on 127.0.0.3 (exit 255); trying again on"
        + " another host"), r.err());
    assertTrue(r.err().contains("Connection refused"), "ssh's own message is shown: " + r.err());
    List<String> log = Files.readAllLines(dir.resolve("log.tsv"));
    assertEquals(9, log.size(), "each task logged once, where it ran: " + log);
    assertTrue(log.subList(1, 9).stream().allMatch(l -> l.split("\t")[1].equals("127.0.0.1")),
        log.toString());
  }

  /** No host answers: jpack says so and fails, logs nothing, and a --resume runs it all. */
  @Test
  void noHostLeftIsAFailureAndResumeRunsEverything(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in");
    Files.writeString(input, "1\n2\n3\n4\n5\n");
    Proc.Result r = jpack(dir, Map.of(), "-a", input.toString(), "-n", "1", "-P", "1",
        "--hosts", "127.0.0.3", "--launcher", launcher, "--joblog", "log.tsv", "echo");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("jpack: dropping host 127.0.0.3: 3 launches in a row failed"
        + " there (exit 255); no host is left\n"), r.err());
    assertTrue(r.err().contains("jpack: 0 done, 0 failed, 0 killed, 5 skipped"), r.err());
    assertEquals(1, Files.readAllLines(dir.resolve("log.tsv")).size(), "only the header");
    r = jpack(dir, Map.of(), "-a", input.toString(), "-n", "1", "-P", "1", "--hosts",
        "127.0.0.1", "--launcher", launcher, "--joblog", "log.tsv", "--resume", "echo");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("1", "2", "3", "4", "5"), Proc.sortedLines(r.out()));
  }

  /**
   * TERM to jpack stops the remote tasks too (through the end of ssh's channel); so does KILL
   * (the watchdog ends the ssh clients, their channels end).
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void termOrKillStopsRemoteTasks(boolean kill, @TempDir Path dir) throws Exception {
    String marker = "sleep 9" + ProcessHandle.current().pid(); // a sleep of its own
    Files.createDirectory(dir.resolve("started"));
    Path input = dir.resolve("in");
    Files.writeString(input, "1\n2\n3\n4\n5\n6\n");
    ProcessBuilder pb = new ProcessBuilder(Proc.JPACK, "-a", input.toString(), "-n", "1",
        "-P", "2", "--hosts", "127.0.0.1,127.0.0.2", "--launcher", launcher, "--term-grace",
        "2s", "sh", "-c", "touch started/$1; exec " + marker, "sh")
        .directory(dir.toFile()).redirectOutput(new File("/dev/null"))
        .redirectError(dir.resolve("err").toFile());
    Path tmp = Files.createDirectory(dir.resolve("t"));
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Files.list(dir.resolve("started")).count() < 4 && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertEquals(4, Files.list(dir.resolve("started")).count(), "4 remote tasks started");
      // one shared connection per host: a master each, their sockets in jpack's directory
      assertEquals(2, ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
          .map(c -> c.contains("ControlMaster=yes") && c.contains(tmp.toString()))
          .orElse(false)).count(), "ssh masters");
      if (kill) {
        p.destroyForcibly();
      } else {
        p.destroy(); // SIGTERM
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(kill ? 137 : 143, p.exitValue(), Files.readString(dir.resolve("err")));
      assertFalse(Proc.anyAlive(marker), "remote tasks are gone");
      if (!kill) {
        assertFalse(Proc.anyAlive(tmp.toString()), "the ssh masters are gone");
        try (var left = Files.list(tmp)) {
          assertEquals(List.of(), left.toList(), "the sockets' directory is removed");
        }
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
