package jpack.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends whatever a run leaves behind: a small shell that waits on a pipe from jpack. When jpack
 * ends, normally or killed outright (SIGKILL, the OOM killer: the pipe just closes), the shell
 * finds every process still carrying this run's JPACK_RUN mark in its environment (tasks and
 * their children inherit it from the launcher), sends TERM, waits the grace (one second after a
 * normal end, when only background leftovers of finished tasks can remain) and sends KILL, again
 * and again until none is found (a bounded number of rounds), since a task that forks in a loop
 * has new children after every look. A nested run's tasks carry its parent's mark too (the
 * launcher appends its own: JPACK_RUN=A,B), so they go with it. No task, child or grandchild
 * that kept the mark outlives its jpack, so a resumed run never runs a task twice.
 */
public final class Watchdog implements AutoCloseable {
  /** Rounds of scan and KILL after the grace before the watchdog gives up (some seconds). */
  static final int KILL_ROUNDS = 100;

  /*
   * After "done" the sweep goes on in the background and the shell jpack started exits at once:
   * a JVM whose reaper thread still waits for a child at System.exit waits 10 ms and more
   * itself (HotSpot waits for threads in native code to block).
   */
  static final String SCRIPT = String.join("\n",
      "trap '' INT TERM HUP QUIT USR1 USR2",
      "read -r word",
      "re=$1 grace=$2",
      "shift 2 # the rest: jpack's own temporary directories, to remove if it was killed",
      // one grep over every environment; the pids are cut out by the shell itself
      "scan() { pids=; for f in $(grep -lsE -z -e \"$re\" /proc/[0-9]*/environ); do"
          + " p=${f#/proc/}; p=${p%/environ}; [ \"$p\" = \"$PPID\" ] || pids=\"$pids $p\"; done; }",
      "clean() { [ $# -eq 0 ] || rm -rf -- \"$@\"; }",
      "sweep() {",
      "  scan",
      "  [ -z \"$pids\" ] && { clean \"$@\"; exit 0; }",
      "  kill -TERM $pids 2>/dev/null",
      "  sleep \"$grace\"",
      // KILL until none is left: a task that forks fast has new children after every scan
      "  n=0",
      "  scan",
      "  while [ -n \"$pids\" ] && [ $n -lt " + KILL_ROUNDS + " ]; do",
      "    kill -KILL $pids 2>/dev/null",
      "    n=$((n+1))",
      "    [ $n -lt 4 ] || sleep 0.05",
      "    scan",
      "  done",
      "  clean \"$@\"",
      "  exit 0",
      "}",
      "[ \"$word\" = done ] && { grace=1; sweep & exit 0; }",
      "sweep \"$@\"");

  private final Process shell;
  private final OutputStream pipe;

  private Watchdog(Process shell) {
    this.shell = shell;
    this.pipe = shell.getOutputStream();
  }

  /**
   * Starts the watchdog for the run marked mark (the launcher's JPACK_RUN, last element), or
   * returns null when there is no mark or no shell. ownDirs (the spool, ssh's sockets) are
   * removed after the processes if jpack was killed; a normal end removes them itself.
   */
  public static Watchdog start(String runMarks, Duration grace, List<Path> ownDirs) {
    if (runMarks == null || runMarks.isEmpty()) {
      return null;
    }
    String mark = runMarks.substring(runMarks.lastIndexOf(',') + 1);
    if (mark.isEmpty()) {
      return null;
    }
    for (int i = 0; i < mark.length(); i++) { // it goes into a grep pattern: plain characters only
      char c = mark.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_'
          || c == '.' || c == '-')) {
        return null;
      }
    }
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "jpack-watchdog",
        pattern(mark), String.valueOf(Math.max(1, grace.toSeconds()))));
    for (Path d : ownDirs) {
      argv.add(d.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectInput(Redirect.PIPE).redirectOutput(Redirect.DISCARD)
        .redirectError(Redirect.DISCARD);
    pb.environment().remove("JPACK_RUN"); // the watchdog must not find itself
    try {
      return new Watchdog(pb.start());
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The grep -E pattern for an environment entry whose JPACK_RUN list has mark as an element:
   * alone, first, last or in the middle (a nested run adds ",its-mark" to its parent's list).
   */
  static String pattern(String mark) {
    return "^JPACK_RUN=(.*,)?" + mark.replace(".", "\\.") + "(,.*)?$";
  }

  /** jpack is ending normally: the watchdog clears away what finished tasks left running. */
  @Override
  public void close() {
    try {
      pipe.write("done\n".getBytes(StandardCharsets.US_ASCII));
      pipe.close();
      shell.waitFor(1, TimeUnit.SECONDS); // it leaves its sweep in the background
    } catch (IOException e) {
      shell.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
