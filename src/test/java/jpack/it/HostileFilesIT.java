package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What another user of a group-writable directory could plant, and paths that cannot work. */
@Timeout(120)
class HostileFilesIT {
  @TempDir Path tmp;

  private Proc.Result jpack(String stdin, String... args) throws Exception {
    return Proc.run(Proc.prepend(Proc.JPACK, args), stdin.getBytes(), Map.of(), tmp.toFile(),
        Duration.ofSeconds(60));
  }

  @Test
  void theStatusFileIsNeverWrittenThroughALink() throws Exception {
    Path victim = tmp.resolve("victim");
    Files.writeString(victim, "precious\n");
    Files.createSymbolicLink(tmp.resolve("status.json.tmp"), victim);
    Files.createSymbolicLink(tmp.resolve("status.json"), victim);
    // --progress-interval: the status file is rewritten while tasks run, and at the end
    Proc.Result r = jpack("1\n", "--status", "status.json", "--progress-interval", "1s", "-n",
        "1", "sleep");
    assertEquals(0, r.code(), r.err());
    assertEquals("precious\n", Files.readString(victim), "a planted link was followed");
    assertTrue(!Files.isSymbolicLink(tmp.resolve("status.json")), "the link is replaced");
    assertTrue(Files.readString(tmp.resolve("status.json")).contains("\"finished\":true"));
  }

  @Test
  void aStatusFileThatCannotBeWrittenStopsTheRunBeforeItStarts() throws Exception {
    Proc.Result r = jpack("1\n", "--status", "no/such/dir/status.json", "-n", "1", "touch",
        "ran");
    assertEquals(1, r.code(), r.err());
    assertEquals("jpack: cannot write the status file 'no/such/dir/status.json': the directory '"
        + tmp.resolve("no/such/dir") + "' does not exist\n", r.err());
    assertTrue(!Files.exists(tmp.resolve("ran1")) && !Files.exists(tmp.resolve("ran")));
  }

  @Test
  void aHostNameThatLooksLikeAnOptionIsRefused() throws Exception {
    Proc.Result r = jpack("1\n", "--hosts", "h1,-oProxyCommand=touch${IFS}pwned", "-n", "1", "echo");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("invalid host name '-oProxyCommand=touch"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(!Files.exists(tmp.resolve("pwned")));
  }

  @Test
  void aJobLogInAMissingDirectoryNamesTheDirectory() throws Exception {
    Proc.Result r = jpack("1\n", "--joblog", "gone/run.tsv", "true");
    assertEquals(1, r.code(), r.err());
    assertEquals("jpack: cannot open the job log 'gone/run.tsv': No such file or directory (the"
        + " directory '" + tmp.resolve("gone") + "' does not exist)\n", r.err());
  }
}
