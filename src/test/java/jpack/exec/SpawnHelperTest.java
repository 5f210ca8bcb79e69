package jpack.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jpack-spawn, the real binary Maven built (target/jpack-spawn), with real tasks. Skipped when no
 * C compiler built it, unless JPACK_REQUIRE_SPAWN_HELPER is set (CI): then that is a failure.
 */
@Timeout(60)
class SpawnHelperTest {
  static final Path BINARY = Path.of("target/jpack-spawn").toAbsolutePath();

  @TempDir Path dir;
  private SpawnHelper helper;
  private final List<String> warnings = new ArrayList<>();

  /** What the helper tells of one task, in order. */
  static final class Recorder implements Spawner.Listener {
    final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    volatile long startNanos = -1;
    volatile long endNanos = -1;
    volatile LaunchException failure;
    volatile ExitInfo exit;

    @Override
    public void started(long nanos) {
      startNanos = nanos;
      seen.add("started");
    }

    @Override
    public void ended(ExitInfo exit, long nanos, boolean leftProcesses) {
      this.exit = exit;
      endNanos = nanos;
      seen.add("ended");
    }

    @Override
    public void failed(LaunchException e) {
      failure = e;
      seen.add("failed");
    }

    @Override
    public void dropped() {
      seen.add("dropped");
    }

    @Override
    public void lost() {
      seen.add("lost");
    }

    String next() throws InterruptedException {
      String s = seen.poll(30, TimeUnit.SECONDS);
      assertNotNull(s, "the helper told nothing for 30 s");
      return s;
    }
  }

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(BINARY) || System.getenv("JPACK_REQUIRE_SPAWN_HELPER") != null,
        "jpack-spawn was not built (no C compiler)");
    helper = SpawnHelper.start(BINARY, dir, Redirect.from(new File("/dev/null")),
        warnings::add);
  }

  @AfterEach
  void stop() {
    if (helper != null) {
      helper.close();
    }
  }

  private Spawner.Job spawn(int slot, Recorder r, String... argv) {
    return spawn(slot, r, Map.of(), Redirect.INHERIT, argv);
  }

  private Spawner.Job spawn(int slot, Recorder r, Map<String, String> env, Redirect out,
      String... argv) {
    Spawner.Job p = helper.spawn(slot, List.of(argv), env, out, Redirect.INHERIT, r);
    assertNotNull(p);
    helper.flush();
    return p;
  }

  /** A task's script that runs until the test creates the file. */
  private static String untilExists(Path gate) {
    return "while [ ! -e '" + gate + "' ]; do sleep 0.05; done";
  }

  @Test
  void exitStatusAndSignalsExactlyFromTheWaitStatus() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Spawner.Job pa = spawn(0, a, "sh", "-c", "exit 3");
    Spawner.Job pb = spawn(1, b, "sh", "-c", "kill -TERM $$");
    assertEquals("started", a.next());
    assertEquals("ended", a.next());
    assertEquals(new ExitInfo(3, 0), a.exit.withUsage(Usage.UNKNOWN));
    helper.release(); // seen: b may start, if it waits
    assertEquals("started", b.next());
    assertEquals("ended", b.next());
    assertEquals(new ExitInfo(-1, 15), b.exit.withUsage(Usage.UNKNOWN),
        "a death by TERM, not an exit of 143");
    assertTrue(a.endNanos >= a.startNanos && a.startNanos > 0);
    long now = System.nanoTime();
    assertTrue(a.endNanos <= now, "the helper's times are System.nanoTime's");
    assertFalse(pa.alive());
  }

  @Test
  void aTaskRunsInItsDirectoryAndAMissingOneIsAFailedStart() throws Exception {
    Path wd = Files.createDirectory(dir.resolve("wd"));
    Recorder r = new Recorder();
    assertNotNull(helper.spawn(0, List.of("sh", "-c", "pwd > here"), Map.of(), Redirect.INHERIT,
        Redirect.INHERIT, wd.toString(), r));
    helper.flush();
    assertEquals("started", r.next());
    assertEquals("ended", r.next());
    assertEquals(wd.toString() + "\n", Files.readString(wd.resolve("here")));
    Recorder gone = new Recorder();
    assertNotNull(helper.spawn(1, List.of("true"), Map.of(), Redirect.INHERIT, Redirect.INHERIT,
        dir.resolve("nowhere").toString(), gone));
    helper.flush();
    assertEquals("failed", gone.next(), "chdir fails in the child: not started");
    helper.release();
  }

  @Test
  void launchFailuresAsXargsNamesThem() throws Exception {
    Recorder missing = new Recorder();
    spawn(0, missing, "jpack-no-such-command-here");
    assertEquals("failed", missing.next());
    assertEquals(LaunchException.Kind.NOT_FOUND, missing.failure.kind());
    assertEquals("jpack-no-such-command-here: No such file or directory",
        missing.failure.getMessage());
    helper.release(); // a failed start holds the next ones until jpack has seen it
    Path plain = Files.writeString(dir.resolve("not-executable"), "echo hi\n");
    Recorder denied = new Recorder();
    spawn(0, denied, plain.toString());
    assertEquals("failed", denied.next());
    assertEquals(LaunchException.Kind.CANNOT_RUN, denied.failure.kind());
    assertTrue(denied.failure.getMessage().endsWith(": Permission denied"),
        denied.failure.getMessage());
  }

  @Test
  void aScriptWithoutAShebangRunsUnderSh() throws Exception {
    Path script = dir.resolve("no-shebang");
    Files.writeString(script, "exit 7\n");
    assertTrue(script.toFile().setExecutable(true));
    Recorder r = new Recorder();
    spawn(0, r, script.toString());
    assertEquals("started", r.next());
    assertEquals("ended", r.next());
    assertEquals(new ExitInfo(7, 0), r.exit.withUsage(Usage.UNKNOWN));
  }

  /** Arguments and variables arrive as ProcessBuilder would pass them, byte for byte. */
  @Test
  void bytesAndEnvironmentAsProcessBuilderPassesThem() throws Exception {
    String[] args = {"plain", "sp ace", "quo'te\"", "new\nline", "tab\t", "\u00e9\u00ff", "$HOME",
        "*", ""};
    List<String> argv = new ArrayList<>(List.of("sh", "-c",
        "for a; do printf '%s|' \"$a\"; done; printf '%s|%s' \"$JPACK_T\" \"$HOME\"", "sh"));
    argv.addAll(List.of(args));
    Map<String, String> env = Map.of("JPACK_T", "v\u00e9=1", "HOME", "/elsewhere");
    Path viaHelper = dir.resolve("helper.out");
    Recorder r = new Recorder();
    spawn(0, r, env, Redirect.appendTo(viaHelper.toFile()), argv.toArray(new String[0]));
    assertEquals("started", r.next());
    assertEquals("ended", r.next());
    Path viaJdk = dir.resolve("jdk.out");
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(viaJdk.toFile());
    pb.environment().putAll(env);
    assertEquals(0, pb.start().waitFor());
    assertArrayEquals(Files.readAllBytes(viaJdk), Files.readAllBytes(viaHelper));
    assertTrue(Files.readString(viaHelper, java.nio.charset.StandardCharsets.ISO_8859_1)
        .startsWith("plain|sp ace|quo'te\"|new\nline|"));
  }

  /** The PATH search is done once per command; a command gone from there is searched again. */
  @Test
  void aCommandFoundOnceIsFoundAgainWhenItMoves() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    SpawnHelper own = SpawnHelper.start(BINARY, dir, Redirect.from(new File("/dev/null")),
        SpawnHelper.DEFAULT_GRACE, warnings::add, Map.of("PATH", a + ":" + b + ":/usr/bin:/bin"));
    try {
      Path out = dir.resolve("out");
      Path inA = a.resolve("jpack-test-cmd");
      Files.writeString(inA, "#!/bin/sh\necho a $0 \"$@\"\n");
      assertTrue(inA.toFile().setExecutable(true));
      for (String dirName : List.of("a", "b")) {
        if (dirName.equals("b")) {
          Path inB = b.resolve("jpack-test-cmd");
          Files.writeString(inB, "#!/bin/sh\necho b $0 \"$@\"\n");
          assertTrue(inB.toFile().setExecutable(true));
          Files.delete(inA);
        }
        Recorder r = new Recorder();
        assertNotNull(own.spawn(0, List.of("jpack-test-cmd", "x"), Map.of(),
            Redirect.appendTo(out.toFile()), Redirect.INHERIT, r));
        own.flush();
        assertEquals("started", r.next());
        assertEquals("ended", r.next());
      }
      // argv[0] stays the name given, as with execvp
      assertEquals("a " + inA + " x\nb " + b.resolve("jpack-test-cmd") + " x\n",
          Files.readString(out));
    } finally {
      own.close();
    }
  }

  @Test
  void outputIsAppendedToTheFile() throws Exception {
    Path out = dir.resolve("o");
    Files.writeString(out, "before\n");
    echoTo(out, "one");
    echoTo(out, "two");
    assertEquals("before\none\ntwo\n", Files.readString(out));
  }

  private void echoTo(Path file, String word) throws Exception {
    Recorder r = new Recorder();
    spawn(0, r, Map.of(), Redirect.appendTo(file.toFile()), "echo", word);
    assertEquals("started", r.next());
    assertEquals("ended", r.next());
  }

  /**
   * The helper keeps the files it was given open: a file emptied in place gets the next task's
   * output at its start, a file renamed away gets nothing more once jpack names a new one, and
   * past the files it keeps open (64) the others are opened again by name.
   */
  @Test
  void keptFilesFollowTruncationRenamesAndEviction() throws Exception {
    Path out = dir.resolve("o");
    echoTo(out, "one");
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
    echoTo(out, "two");
    assertEquals("two\n", Files.readString(out));
    Path aside = dir.resolve("aside");
    Files.move(out, aside);
    Path next = dir.resolve("o.1");
    echoTo(next, "three");
    assertEquals("two\n", Files.readString(aside));
    assertEquals("three\n", Files.readString(next));
    for (int i = 0; i < 70; i++) {
      echoTo(dir.resolve("f" + i), "a" + i);
    }
    for (int i = 0; i < 70; i++) {
      echoTo(dir.resolve("f" + i), "b" + i);
      assertEquals("a" + i + "\nb" + i + "\n", Files.readString(dir.resolve("f" + i)));
    }
  }

  /**
   * Under a low limit on open files the helper keeps fewer files open (a task's child holds
   * them too until its exec): every task still gets its files.
   */
  @Test
  void underALowLimitOnOpenFilesEveryTaskStillGetsItsFiles() throws Exception {
    helper.close();
    Path wrapper = dir.resolve("limited");
    Files.writeString(wrapper, "#!/bin/sh\nulimit -n 40\nexec '" + BINARY + "' \"$@\"\n");
    assertTrue(wrapper.toFile().setExecutable(true));
    helper = SpawnHelper.start(wrapper, dir, Redirect.from(new File("/dev/null")),
        warnings::add);
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 70; i++) {
        echoTo(dir.resolve("g" + i), "r" + round);
      }
    }
    for (int i = 0; i < 70; i++) {
      assertEquals("r0\nr1\n", Files.readString(dir.resolve("g" + i)));
    }
  }

  @Test
  void aQueuedTaskStartsWhenItsSlotsTaskEnds() throws Exception {
    Path gate = dir.resolve("gate");
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    Recorder other = new Recorder();
    spawn(0, first, "sh", "-c", untilExists(gate));
    spawn(0, second, "true");
    spawn(1, other, "true");
    assertEquals("started", first.next());
    assertEquals("started", other.next()); // another slot: at once
    assertEquals("ended", other.next());
    assertNull(second.seen.poll(300, TimeUnit.MILLISECONDS), "it waits for slot 0");
    Files.createFile(gate);
    assertEquals("ended", first.next());
    assertEquals("started", second.next());
    assertEquals("ended", second.next());
    assertTrue(second.startNanos >= first.endNanos);
  }

  /** A failure may stop the run (xargs' exit 255, --halt): nothing starts until jpack saw it. */
  @Test
  void afterAFailureQueuedTasksWaitForRelease() throws Exception {
    Path gate = dir.resolve("gate");
    Recorder failing = new Recorder();
    Recorder next = new Recorder();
    Recorder ok = new Recorder();
    Recorder afterOk = new Recorder();
    spawn(0, failing, "sh", "-c", untilExists(gate) + "; exit 1");
    spawn(0, next, "true");
    assertEquals("started", failing.next());
    Files.createFile(gate);
    assertEquals("ended", failing.next());
    assertNull(next.seen.poll(300, TimeUnit.MILLISECONDS), "held after the failure");
    spawn(1, ok, "true"); // asked for before jpack saw the failure: it waits too
    assertNull(ok.seen.poll(300, TimeUnit.MILLISECONDS), "held after the failure");
    helper.release();
    assertEquals("started", next.next());
    assertEquals("ended", next.next());
    assertEquals("started", ok.next());
    spawn(1, afterOk, "true");
    assertEquals("started", afterOk.next());
  }

  @Test
  void aQueuedTaskCanBeTakenBackOrDroppedButARunningOneGoesOn() throws Exception {
    Path gate = dir.resolve("gate");
    Recorder running = new Recorder();
    Recorder recalled = new Recorder();
    Recorder destroyed = new Recorder();
    Spawner.Job pr = spawn(0, running, "sh", "-c", untilExists(gate));
    Spawner.Job pq = spawn(0, recalled, "true");
    Spawner.Job pd = spawn(0, destroyed, "true");
    assertEquals("started", running.next());
    helper.recall(pq);
    assertEquals("dropped", recalled.next());
    pd.term();
    assertEquals("dropped", destroyed.next());
    helper.recall(pr); // started: goes on
    assertNull(running.seen.poll(300, TimeUnit.MILLISECONDS));
    assertTrue(pr.alive());
    assertTrue(pr.pid() > 0);
    pr.term();
    assertEquals("ended", running.next());
    assertEquals(new ExitInfo(-1, 15), running.exit.withUsage(Usage.UNKNOWN));
    assertTrue(pq.pid() < 0, "it never started");
  }

  @Test
  void aHelperThatDiesKillsItsRunningTasksAndGivesBackTheWaitingOnes() throws Exception {
    Recorder r = new Recorder();
    Spawner.Job p = spawn(0, r, "sleep", "30");
    assertEquals("started", r.next());
    Recorder behind = new Recorder();
    spawn(0, behind, "true"); // waits for slot 0
    helper.flush();
    long pid = p.pid();
    helper.process().destroyForcibly();
    assertEquals("lost", r.next(), "it did not finish: it runs again");
    assertEquals("dropped", behind.next(), "it never started: back to jpack's queue");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      assertTrue(System.nanoTime() < until, "the orphaned task was not killed");
      Thread.sleep(10);
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("ended unexpectedly"));
    assertTrue(!helper.alive());
    assertNull(helper.spawn(0, List.of("true"), Map.of(), Redirect.INHERIT, Redirect.INHERIT,
        new Recorder()), "no more tasks: ProcessBuilder must start them");
  }

  /** A helper that dies at once (built for another system, say) or speaks another protocol. */
  @Test
  void aHelperThatCannotServeIsRefusedQuickly() throws Exception {
    long t0 = System.nanoTime();
    assertThrows(java.io.IOException.class, () -> SpawnHelper.start(Path.of("/bin/false"), dir,
        Redirect.from(new File("/dev/null")), warnings::add));
    boolean python = java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "python3")));
    if (!python) {
      return; // the stand-in below needs python3 (.ci/run installs it)
    }
    Path other = dir.resolve("other-protocol");
    Files.writeString(other, "#!/usr/bin/env python3\nimport socket, sys\n"
        + "s = socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[3])\ns.sendall(b'V 9\\n')\n");
    assertTrue(other.toFile().setExecutable(true));
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> SpawnHelper.start(other,
        dir, Redirect.from(new File("/dev/null")), warnings::add));
    assertEquals("jpack-spawn speaks another protocol: V 9", e.getMessage());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20));
  }

  @Test
  void theBinaryIsFoundBesideTheJarOrNamedOrTurnedOff() throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path jar = Files.createFile(lib.resolve("jpack.jar"));
    assertNull(SpawnHelper.binary(Map.of(), jar.toString()));
    Path beside = Files.copy(BINARY, lib.resolve("jpack-spawn"));
    assertEquals(beside, SpawnHelper.binary(Map.of(), jar.toString()));
    assertNull(SpawnHelper.binary(Map.of(SpawnHelper.ENV, "off"), jar.toString()));
    assertEquals(BINARY, SpawnHelper.binary(Map.of(SpawnHelper.ENV, BINARY.toString()),
        "target/classes"));
    assertNull(SpawnHelper.binary(Map.of(), "target/classes:lib/x.jar"));
  }
}
