package jpack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one option table is consistent: every option parses on the fast path (by each of its
 * names), picocli's model built from it parses the same, and it appears in --help under its
 * group, in the man page and in the bash completion.
 */
class OptTest {
  /** A value for o that tells options apart. */
  private static String value(Opt o) {
    return "v-" + o.name().toLowerCase();
  }

  @Test
  void namesAreUniqueAndWellFormed() {
    Set<String> names = new HashSet<>();
    for (Opt o : Opt.values()) {
      for (String n : o.names()) {
        assertTrue(names.add(n), "two options named " + n);
        assertEquals(o, Opt.find(n));
      }
      assertTrue(o.longName.matches("--[a-z0-9][a-z0-9-]+"), o.longName);
      assertTrue(o.shortName == null || o.shortName.matches("-[A-Za-z0-9]"), o.shortName);
      assertEquals(o.takesValue(), o.label != null, o + ": a value needs a label");
      assertTrue(o.hidden() || !o.help.isBlank(), o + " without help");
    }
  }

  @Test
  void everyOptionParsesOnTheFastPathByEachName() throws Exception {
    for (Opt o : Opt.values()) {
      for (String name : o.names()) {
        // a long option's value attached (--eof, --replace, --max-lines take it no other
        // way), a short one's as the next word
        List<String> argv = new ArrayList<>();
        if (!o.takesValue()) {
          argv.add(name);
        } else if (name.startsWith("--")) {
          argv.add(name + "=" + value(o));
        } else {
          argv.addAll(List.of(name, value(o)));
        }
        argv.add("cmd");
        ArgvNormalizer n = new ArgvNormalizer(w -> { });
        ParsedArgs a = ParsedArgs.parse(n.normalize(argv));
        assertNotNull(a, "fast path refused " + argv);
        assertTrue(a.has(o), argv.toString());
        assertEquals(o.takesValue() ? value(o) : "", a.get(o), argv.toString());
        assertEquals(List.of("cmd"), a.command(), argv.toString());
        for (Opt other : Opt.values()) {
          assertEquals(other == o, a.has(other), argv + " set " + other);
        }
      }
    }
  }

  @Test
  void theFastPathAndPicocliParseAlike() {
    List<String> words = new ArrayList<>();
    for (Opt o : Opt.values()) {
      words.add(o.takesValue() ? o.longName + "=" + value(o) : o.longName);
    }
    words.add("--env=SECOND");
    words.addAll(List.of("echo", "-x", "--tag"));
    ParsedArgs fast = ParsedArgs.parse(words);
    assertNotNull(fast);
    ParsedArgs slow = HelpModel.parse(Cli.commandLine(), words);
    for (Opt o : Opt.values()) {
      assertTrue(fast.has(o), o.toString());
      assertEquals(fast.has(o), slow.has(o), o.toString());
      assertEquals(fast.get(o), slow.get(o), o.toString());
      assertEquals(fast.all(o), slow.all(o), o.toString());
    }
    assertEquals(List.of(value(Opt.ENV), "SECOND"), fast.all(Opt.ENV));
    assertEquals("SECOND", fast.get(Opt.ENV));
    assertEquals(List.of("echo", "-x", "--tag"), fast.command());
    assertEquals(fast.command(), slow.command());
  }

  @Test
  void theModelHasEachOptionWithItsNamesAndArity() {
    CommandLine cl = Cli.commandLine();
    assertEquals(Opt.values().length, cl.getCommandSpec().options().size());
    for (Opt o : Opt.values()) {
      OptionSpec spec = cl.getCommandSpec().findOption(o.longName);
      assertNotNull(spec, o.longName);
      assertEquals(List.of(o.names()), List.of(spec.names()));
      assertEquals(o.takesValue(), spec.arity().max() > 0, o.longName);
      assertEquals(o.hidden(), spec.hidden(), o.longName);
    }
  }

  @Test
  void unknownOrMalformedWordsGoToPicocli() {
    assertNull(ParsedArgs.parse(List.of("--bogus")));
    assertNull(ParsedArgs.parse(List.of("--tag=x")));
    assertNull(ParsedArgs.parse(List.of("--max-args")));
    assertNull(ParsedArgs.parse(List.of("-n3")));
  }

  @Test
  void everyOptionIsInTheHelpUnderItsGroup() {
    String help = CliTest.run("", "--help").out();
    int previous = -1;
    for (Opt.Group g : Opt.Group.values()) {
      int at = help.indexOf("\n" + g.heading + ":\n");
      assertTrue(at > previous, g.heading + " missing or out of order");
      previous = at;
    }
    for (Opt o : Opt.values()) {
      // the line that starts the option's entry: "  -a, --arg-file=FILE" or "      --tag"
      String entry = (o.shortName == null ? "      " : "  " + o.shortName + ", ") + o.longName
          + (o.takesValue() ? "=" + o.label : "");
      int at = help.indexOf("\n" + entry + " ");
      at = at >= 0 ? at : help.indexOf("\n" + entry + "\n"); // a long one has a line of its own
      if (o.hidden()) {
        assertFalse(help.contains(o.longName), o.longName + " is hidden");
        continue;
      }
      assertTrue(at >= 0, "help lacks " + entry);
      int groupAt = help.indexOf("\n" + o.group.heading + ":\n");
      int next = o.group.ordinal() + 1 < Opt.Group.values().length
          ? help.indexOf("\n" + Opt.Group.values()[o.group.ordinal() + 1].heading + ":\n")
          : help.indexOf("\nExamples:\n");
      assertTrue(groupAt < at && at < next, o.longName + " not under " + o.group.heading);
    }
  }

  @Test
  void everyOptionIsInTheManPageAndTheCompletion() {
    String man = DocGen.manPage("test");
    String completion = DocGen.completion();
    for (Opt o : Opt.values()) {
      for (String n : o.names()) {
        assertEquals(!o.hidden(), man.contains("\\fB" + DocGen.esc(n) + "\\fR"), n);
      }
      assertEquals(!o.hidden(), completion.contains(o.longName), o.longName);
      if (o.hidden()) {
        continue;
      }
      assertTrue(man.contains(".SS " + DocGen.esc(o.group.heading)), o.group.heading);
      assertTrue(man.contains(DocGen.esc(o.help)), o.longName + "'s help");
    }
  }
}
