package jpack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** The fast path's table and the picocli model must name the same options with the same arity. */
class OptionTableTest {
  @Test
  void tableMatchesThePicocliModel() {
    Map<String, Boolean> model = new TreeMap<>();
    for (OptionSpec o : Cli.commandLine(new JpackCommand()).getCommandSpec().options()) {
      model.put(String.join(",", o.names()), o.arity().max() > 0);
    }
    Map<String, Boolean> table = new TreeMap<>();
    for (OptionTable.Entry e : OptionTable.ENTRIES) {
      table.put(String.join(",", e.names()), e.takesValue());
    }
    assertEquals(model, table);
  }

  @Test
  void fastAndPicocliParsesAgree() {
    List<String> words = List.of("--arg-file=f", "--null", "--max-args=3", "--max-procs=4",
        "--joblog=log.tsv", "--resume", "--tag", "--timeout=10s", "echo", "-x", "--tag");
    JpackCommand fast = new JpackCommand();
    assertTrue(OptionTable.parse(words, fast));
    JpackCommand slow = new JpackCommand();
    Cli.commandLine(slow).parseArgs(words.toArray(new String[0]));
    assertEquals(slow.input.argFile, fast.input.argFile);
    assertEquals(slow.input.nul, fast.input.nul);
    assertEquals(slow.build.maxArgs, fast.build.maxArgs);
    assertEquals(slow.concurrency.maxProcs, fast.concurrency.maxProcs);
    assertEquals(slow.restart.joblog, fast.restart.joblog);
    assertEquals(slow.restart.resume, fast.restart.resume);
    assertEquals(slow.output.tag, fast.output.tag);
    assertEquals(slow.restart.timeout, fast.restart.timeout);
    assertEquals(List.of("echo", "-x", "--tag"), fast.command);
    assertEquals(slow.command, fast.command);
  }

  @Test
  void unknownOrMalformedWordsGoToPicocli() {
    assertEquals(false, OptionTable.parse(List.of("--bogus"), new JpackCommand()));
    assertEquals(false, OptionTable.parse(List.of("--tag=x"), new JpackCommand()));
    assertEquals(false, OptionTable.parse(List.of("--max-args"), new JpackCommand()));
  }
}
