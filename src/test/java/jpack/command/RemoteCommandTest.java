package jpack.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jpack.config.Host;
import jpack.config.Hosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RemoteCommandTest {
  private static final Host NODE = new Host("node07", 4, 3);
  private static final List<String> AWKWARD = List.of("a b", "it's", "\"q\"", "$HOME", "`id`",
      ";echo x", "*", "back\\slash", "new\nline", "tab\there", "", "caf\u00e9 \u00ff", "!", "{}");

  private static Hosts hosts(Hosts.Launch launch, List<String> template) {
    return new Hosts(null, List.of("node07"), false, launch, template, List.of());
  }

  @Test
  void sshPutsTheScriptLastAfterBatchModeAndTheHost() {
    List<String> argv = RemoteCommand.argv(hosts(Hosts.Launch.SSH, List.of()), NODE,
        List.of("echo", "hi"), Map.of(), "/w", 30, 1, List.of());
    assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-x", "--", "node07"), argv.subList(0, 6));
    assertEquals(7, argv.size());
    assertTrue(argv.get(6).startsWith("cd '/w' || exit 1\n"), argv.get(6));
    assertTrue(argv.get(6).contains("sleep 30;"), argv.get(6));
  }

  @Test
  void srunRunsTheArgvItselfAsOneStepOnTheHost() {
    List<String> argv = RemoteCommand.argv(hosts(Hosts.Launch.SRUN, List.of()), NODE,
        List.of("./task.sh", "a b"), Map.of("JPACK_SEQ", "1"), "/w", 30, 4, List.of());
    assertEquals(List.of("srun", "--nodes=1", "--ntasks=1", "--cpus-per-task=4", "--exact",
        "--quiet", "--kill-on-bad-exit=1", "--nodelist=node07", "./task.sh", "a b"), argv);
  }

  @Test
  void pbsdshUsesTheNodeIndexAndAShell() {
    List<String> argv = RemoteCommand.argv(hosts(Hosts.Launch.PBSDSH, List.of()), NODE,
        List.of("true"), Map.of(), "/w", 30, 1, List.of());
    assertEquals(List.of("pbsdsh", "-n", "3", "--", "/bin/sh", "-c"), argv.subList(0, 6));
  }

  @Test
  void templateTakesTheHostAtItsPlaceholderOrAtTheEnd() {
    List<String> appended = RemoteCommand.argv(
        hosts(Hosts.Launch.TEMPLATE, List.of("ssh", "-p", "2222")), NODE, List.of("true"),
        Map.of(), "/w", 30, 1, List.of());
    assertEquals(List.of("ssh", "-p", "2222", "node07"), appended.subList(0, 4));
    List<String> placed = RemoteCommand.argv(
        hosts(Hosts.Launch.TEMPLATE, List.of("srun", "-w", "{host}", "sh", "-c")), NODE,
        List.of("true"), Map.of(), "/w", 30, 1, List.of());
    assertEquals(List.of("srun", "-w", "node07", "sh", "-c"), placed.subList(0, 5));
    assertEquals(6, placed.size());
  }

  @Test
  void connectionSharingOptionsFollowTheSshProgram() {
    List<String> mux = List.of("-o", "ControlMaster=no", "-o", "ControlPath=/t/h0");
    List<String> argv = RemoteCommand.argv(hosts(Hosts.Launch.SSH, List.of()), NODE,
        List.of("true"), Map.of(), "/w", 30, 1, mux);
    assertEquals(List.of("ssh", "-o", "ControlMaster=no", "-o", "ControlPath=/t/h0", "-o",
        "BatchMode=yes", "-x", "--", "node07"), argv.subList(0, 10));
    argv = RemoteCommand.argv(hosts(Hosts.Launch.TEMPLATE, List.of("/usr/bin/ssh", "-p", "22")),
        NODE, List.of("true"), Map.of(), "/w", 30, 1, mux);
    assertEquals(List.of("/usr/bin/ssh", "-o", "ControlMaster=no", "-o", "ControlPath=/t/h0",
        "-p", "22", "node07"), argv.subList(0, 8));
  }

  @Test
  void onlySshLaunchersShareConnections() {
    assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-x"),
        RemoteCommand.sshPrefix(hosts(Hosts.Launch.SSH, List.of())));
    assertEquals(List.of("ssh", "-p", "2222"),
        RemoteCommand.sshPrefix(hosts(Hosts.Launch.TEMPLATE, List.of("ssh", "-p", "2222"))));
    assertEquals(null, RemoteCommand.sshPrefix(hosts(Hosts.Launch.SRUN, List.of())));
    assertEquals(null, RemoteCommand.sshPrefix(hosts(Hosts.Launch.TEMPLATE,
        List.of("srun", "-w", "{host}", "sh", "-c"))));
    assertEquals(null, RemoteCommand.sshPrefix(hosts(Hosts.Launch.TEMPLATE,
        List.of("ssh", "{host}"))), "a template that places the host itself is left as it is");
  }

  /** The script through a real sh, as a remote login shell gets it: every byte arrives. */
  @Test
  @Timeout(20)
  void everyArgumentSurvivesTheScriptByteForByte() throws Exception {
    List<String> task = new ArrayList<>(List.of("printf", "<%s>\\n"));
    task.addAll(AWKWARD);
    String script = RemoteCommand.script(task, Map.of("JPACK_SEQ", "7", "JPACK_ODD", "x'y z"),
        "/", 5);
    byte[] out = sh(script);
    StringBuilder want = new StringBuilder();
    for (String a : AWKWARD) {
      want.append('<').append(a).append(">\n");
    }
    assertArrayEquals(want.toString().getBytes(StandardCharsets.ISO_8859_1), out);
  }

  @Test
  @Timeout(20)
  void theScriptEntersTheDirectoryExportsTheVariablesAndKeepsTheExitStatus() throws Exception {
    String script = RemoteCommand.script(
        List.of("sh", "-c", "printf '%s|%s|%s' \"$(pwd)\" \"$JPACK_SEQ\" \"$JPACK_ODD\"; exit 3"),
        Map.of("JPACK_SEQ", "7", "JPACK_ODD", "x'y z"), "/tmp", 5);
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script);
    Process p = pb.redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(15, TimeUnit.SECONDS));
    assertEquals("/tmp|7|x'y z", new String(out, StandardCharsets.ISO_8859_1));
    assertEquals(3, p.exitValue());
  }

  private static byte[] sh(String script) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(15, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    return out.toByteArray();
  }
}
