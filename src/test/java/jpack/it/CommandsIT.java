package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** --commands: a task file as people write one, a shell command a line. */
@Timeout(120)
class CommandsIT {
  @TempDir Path tmp;

  private Proc.Result jpack(Map<String, String> env, String... args) throws Exception {
    return Proc.run(Proc.prepend(Proc.JPACK, args), null, env, tmp.toFile(),
        Duration.ofSeconds(60));
  }

  @Test
  void everyLineThatIsNotBlankOrACommentIsOneShellCommand() throws Exception {
    Files.writeString(tmp.resolve("cmds.txt"), "# the sweep\n"
        + "echo \"it's one\" $JPACK_LINE $JPACK_SEQ\n"
        + "\n"
        + "   \n"
        + "  # an indented comment\n"
        + "echo two > two.out; cat two.out | tr a-z A-Z\n"
        + "echo three 'a  b' $(( 1 + 2 ))"); // no newline at the end
    Proc.Result r = jpack(Map.of("SHELL", "/bin/bash"), "--commands", "cmds.txt", "-k",
        "--joblog", "run.tsv");
    assertEquals(0, r.code(), r.err());
    assertEquals("it's one 2 1\nTWO\nthree a  b 3\n", r.out());
    assertEquals("", r.err());
    List<String> log = Files.readAllLines(tmp.resolve("run.tsv"));
    assertEquals(4, log.size(), "three tasks: " + log);
    assertTrue(log.get(1).endsWith("\t/bin/bash -c 'echo \"it'\\''s one\" $JPACK_LINE"
        + " $JPACK_SEQ'"), log.get(1));
    Proc.Result again = jpack(Map.of("SHELL", "/bin/bash"), "--commands", "cmds.txt",
        "--joblog", "run.tsv", "--resume");
    assertEquals(0, again.code(), again.err());
    assertEquals("", again.out(), "a resume runs nothing more");
  }

  @Test
  void aDosFileLosesItsCarriageReturnsWithOneWarning() throws Exception {
    Files.writeString(tmp.resolve("dos.txt"), "echo a\r\necho b\r\n");
    Proc.Result r = jpack(Map.of(), "--commands", "dos.txt", "-k");
    assertEquals(0, r.code(), r.err());
    assertEquals("a\nb\n", r.out(), "no CR in the last argument");
    assertEquals("jpack: warning: --commands: line 1 ends in CR LF (a DOS file): the CRs are"
        + " dropped\n", r.err());
  }

  @Test
  void aCshLoginShellIsNotUsedForCommands() throws Exception {
    Files.writeString(tmp.resolve("c.txt"), "echo $0\n");
    Proc.Result r = jpack(Map.of("SHELL", "/bin/tcsh"), "--commands", "c.txt");
    assertEquals("/bin/sh\n", r.out(), r.err());
  }

  @Test
  void commandsDoNotMixWithOtherInputForms() throws Exception {
    Files.writeString(tmp.resolve("c.txt"), "true\n");
    for (String[] extra : new String[][] {{"-a", "c.txt"}, {"-n", "1"}, {"-0"}, {"echo"}}) {
      String[] args = new String[extra.length + 2];
      args[0] = "--commands";
      args[1] = "c.txt";
      System.arraycopy(extra, 0, args, 2, extra.length);
      Proc.Result r = jpack(Map.of(), args);
      assertEquals(1, r.code(), String.join(" ", extra));
      assertTrue(r.err().startsWith("jpack: --commands (every line of the file is a whole"
          + " command) cannot be used with "), r.err());
    }
  }
}
