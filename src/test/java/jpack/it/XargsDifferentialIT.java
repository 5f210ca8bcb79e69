package jpack.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same input and options through the real GNU xargs and through jpack: stdout, stderr and exit
 * status must agree (lines sorted where tasks run in parallel). xargs runs with -P 1 unless the case
 * sets -P; jpack gets the same options, so its default concurrency and ordering are exercised too.
 */
@Timeout(120)
class XargsDifferentialIT {
  static final String XARGS = "/usr/bin/xargs";

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    String text = "a b  c\n'd e' \"f g\" h\\ i\n\n  j\tk \nl\n";
    String[][] opts = {
      {}, {"-n", "1"}, {"-n", "2"}, {"-L", "1"}, {"-L", "2"}, {"-l"}, {"-s", "12"},
      {"-I{}"}, {"-i"}, {"-r"}, {"-E", "h i"}, {"-E", "j"}, {"-t"}, {"-t", "-n", "3"},
      {"-x", "-n", "2", "-s", "12"}, {"-0"}, {"-d", "\\n"}, {"-d", " "}, {"-n", "1", "-P", "3"},
      {"--max-args=2"}, {"--replace=X"}, {"-e"}, {"-eh"}, {"-s", "4"},
    };
    for (String[] o : opts) {
      cases.add(Arguments.of(o.length == 0 ? "(no options)" : String.join(" ", o), o, text.getBytes(StandardCharsets.ISO_8859_1),
          List.of("printf", "[%s]\\n")));
    }
    // Exit statuses and their messages.
    cases.add(Arguments.of("123", new String[] {"-n", "1"}, bytes("0\n1\n0\n"),
        List.of("sh", "-c", "exit $0")));
    cases.add(Arguments.of("124", new String[] {"-n", "1"}, bytes("0\n255\n"),
        List.of("sh", "-c", "exit $0")));
    cases.add(Arguments.of("125", new String[] {"-n", "1"}, bytes("x\n"),
        List.of("sh", "-c", "kill -9 $$")));
    cases.add(Arguments.of("126", new String[] {}, bytes("x\n"), List.of("/etc")));
    cases.add(Arguments.of("127", new String[] {}, bytes("x\n"), List.of("no-such-command-here")));
    cases.add(Arguments.of("unmatched", new String[] {}, bytes("one\n'two\n"), List.of("echo")));
    cases.add(Arguments.of("nul warning", new String[] {}, bytes("x\0y z\n"), List.of("echo")));
    cases.add(Arguments.of("empty", new String[] {}, bytes(""), List.of("echo", "hi")));
    cases.add(Arguments.of("default echo", new String[] {"-n", "2"}, bytes("1 2 3"), List.of()));
    // -t quoting of awkward words.
    cases.add(Arguments.of("-t quoting", new String[] {"-0", "-t"},
        bytes("a b\0c'd\0e\"f\0g$h\0~x\0#y\0=z\0a=b\0^w\0]v\0}u\0{a\0[a\0a!b\0\t\0\u00e9\0x*y\0(z)\0a;b\0a~#\0"),
        List.of("true")));
    // Random items in every input mode.
    Random rnd = new Random(42);
    for (int i = 0; i < 12; i++) {
      byte[] items = randomItems(rnd, i % 3 == 0);
      String[] o = i % 2 == 0 ? new String[] {"-0", "-n", String.valueOf(1 + rnd.nextInt(4))}
          : new String[] {"-0", "-s", String.valueOf(60 + rnd.nextInt(200))};
      cases.add(Arguments.of("random " + i, o, items, List.of("printf", "[%s]\\n")));
    }
    return cases.stream();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** NUL-terminated items with blanks, quotes, backslashes, newlines and bytes above 0x7f. */
  static byte[] randomItems(Random rnd, boolean highBytes) {
    byte[] alphabet = bytes(" \t\n'\"\\abcxyz019-_./$*");
    StringBuilder sb = new StringBuilder();
    int n = 1 + rnd.nextInt(30);
    for (int i = 0; i < n; i++) {
      int len = rnd.nextInt(12);
      for (int j = 0; j < len; j++) {
        if (highBytes && rnd.nextInt(4) == 0) {
          sb.append((char) (0x80 + rnd.nextInt(128)));
        } else {
          sb.append((char) alphabet[rnd.nextInt(alphabet.length)]);
        }
      }
      sb.append('\0');
    }
    return bytes(sb.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void agreesWithGnuXargs(String name, String[] opts, byte[] input, List<String> command)
      throws Exception {
    assumeTrue(Files.isExecutable(Path.of(XARGS)), "GNU xargs is needed as the oracle");
    List<String> xargs = new ArrayList<>(List.of(XARGS));
    List<String> jpack = new ArrayList<>(List.of(Proc.JPACK));
    boolean parallel = List.of(opts).contains("-P");
    xargs.addAll(List.of(opts));
    jpack.addAll(List.of(opts));
    xargs.addAll(command);
    jpack.addAll(command);
    Map<String, String> env = Map.of("LC_ALL", "C");
    Proc.Result want = Proc.run(xargs.toArray(new String[0]), input, env, null,
        Duration.ofSeconds(30));
    Proc.Result got = Proc.run(jpack.toArray(new String[0]), input, env, null,
        Duration.ofSeconds(30));
    assertEquals(want.code(), got.code(), "exit status; stderr: " + got.err());
    if (parallel) {
      assertEquals(Proc.sortedLines(want.out()), Proc.sortedLines(got.out()));
    } else {
      assertArrayEquals(want.stdout(), got.stdout(),
          () -> "stdout\nxargs: " + want.out() + "\njpack: " + got.out());
    }
    // jpack ends with a summary line when a task failed: xargs has none.
    String gotErr = got.err().replaceAll("(?m)^jpack: \\d+ done, .*\n", "");
    assertEquals(want.err().replace(XARGS + ":", "jpack:"), gotErr);
  }
}
