package jpack.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Generated items (blanks, quotes, backslashes, newlines, bytes above 0x7f, long items) written in
 * every input mode: the arguments the children receive equal the items, byte for byte; the same
 * input through GNU xargs gives the same output.
 */
class InputPropertiesIT {
  static final String XARGS = "/usr/bin/xargs";

  /** A mode and its items (which the mode can carry). */
  record Case(String mode, List<String> items) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Character> chars = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.chars().range('a', 'z')),
        net.jqwik.api.Tuple.of(2, Arbitraries.of(' ', '\t', '\n', '\'', '"', '\\', '$', '*')),
        net.jqwik.api.Tuple.of(2, Arbitraries.chars().range((char) 0x80, (char) 0xff)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of('\f', '\r', '\u000b', '\u0001')));
    Arbitrary<String> item = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, chars.list().ofMaxSize(20)
            .map(l -> l.stream().map(String::valueOf).reduce("", String::concat))),
        net.jqwik.api.Tuple.of(1, chars.list().ofMinSize(1000).ofMaxSize(5000)
            .map(l -> l.stream().map(String::valueOf).reduce("", String::concat))));
    Arbitrary<List<String>> items = item.list().ofMinSize(1).ofMaxSize(25);
    return Combinators.combine(Arbitraries.of("-0", "quoted", "-d,"), items)
        .as((mode, list) -> new Case(mode, mode.equals("-d,")
            ? list.stream().map(s -> s.replace(',', ';')).toList() : list));
  }

  /** The input that carries these items in this mode. */
  static byte[] encode(Case c) {
    StringBuilder sb = new StringBuilder();
    for (String item : c.items()) {
      switch (c.mode()) {
        case "-0" -> sb.append(item).append('\0');
        case "-d," -> sb.append(item).append(',');
        default -> {
          // xargs quoting: a backslash before every character keeps it literal, newline too;
          // an empty item needs quotes.
          if (item.isEmpty()) {
            sb.append("''");
          } else {
            for (char ch : item.toCharArray()) {
              sb.append('\\').append(ch);
            }
          }
          sb.append(' ');
        }
      }
    }
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static String[] args(Case c, String first, int n) {
    List<String> a = new ArrayList<>(List.of(first));
    if (!c.mode().equals("quoted")) {
      a.add(c.mode().startsWith("-d") ? "-d" : "-0");
      if (c.mode().startsWith("-d")) {
        a.add(",");
      }
    }
    a.addAll(List.of("-n", String.valueOf(n), "printf", "%s\\0"));
    return a.toArray(new String[0]);
  }

  static List<String> split(byte[] out) {
    List<String> items = new ArrayList<>();
    ByteArrayOutputStream cur = new ByteArrayOutputStream();
    for (byte b : out) {
      if (b == 0) {
        items.add(cur.toString(StandardCharsets.ISO_8859_1));
        cur.reset();
      } else {
        cur.write(b);
      }
    }
    return items;
  }

  @Property(tries = 60)
  void childrenReceiveTheItemsByteForByte(@ForAll("cases") Case c,
      @ForAll @IntRange(min = 1, max = 4) int n) throws Exception {
    byte[] input = encode(c);
    Proc.Result r = Proc.run(args(c, Proc.JPACK, n), input, Map.of("LC_ALL", "C"), null,
        Duration.ofSeconds(60));
    assertEquals(0, r.code(), r.err());
    assertEquals(c.items(), split(r.stdout()));
  }

  @Property(tries = 40)
  void agreesWithGnuXargs(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 4) int n)
      throws Exception {
    byte[] input = encode(c);
    Map<String, String> env = Map.of("LC_ALL", "C");
    Proc.Result want = Proc.run(args(c, XARGS, n), input, env, null, Duration.ofSeconds(60));
    Proc.Result got = Proc.run(args(c, Proc.JPACK, n), input, env, null, Duration.ofSeconds(60));
    assertEquals(want.code(), got.code());
    assertArrayEquals(want.stdout(), got.stdout());
  }
}
