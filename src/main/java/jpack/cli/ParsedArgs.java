package jpack.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * The options given, by {@link Opt}, and the command. Values stay strings here: they are checked in
 * one place, {@link ConfigFactory}, with xargs' own messages. A map rather than a field per option,
 * so that a new option needs no field and no setter: its {@link Opt} constant is its key.
 */
final class ParsedArgs {
  private final EnumMap<Opt, List<String>> values = new EnumMap<>(Opt.class);
  private final List<String> command = new ArrayList<>();

  /** Whether o was given (a flag, or an option with any value). */
  boolean has(Opt o) {
    return values.containsKey(o);
  }

  /** The value o was last given, or null. */
  String get(Opt o) {
    List<String> v = values.get(o);
    return v == null ? null : v.get(v.size() - 1);
  }

  /** Every value o was given, in order (for {@link Opt.Kind#LIST} options). */
  List<String> all(Opt o) {
    List<String> v = values.get(o);
    return v == null ? List.of() : List.copyOf(v);
  }

  /** The command and its initial arguments as given (empty: the default, echo). */
  List<String> command() {
    return command;
  }

  /** Records o (value null for a flag). */
  void put(Opt o, String value) {
    List<String> v = values.get(o);
    if (v == null) {
      v = new ArrayList<>(1);
      values.put(o, v);
    }
    v.add(value == null ? "" : value);
  }

  /**
   * Parses words in ArgvNormalizer's canonical form (--long=value, --flag, then the command): the
   * common path, without picocli's model. Null when anything is not plainly valid: the caller lets
   * picocli parse and explain.
   */
  static ParsedArgs parse(List<String> words) {
    ParsedArgs a = new ParsedArgs();
    int i = 0;
    for (; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("--")) {
        i++;
        break;
      }
      if (!w.startsWith("-") || w.equals("-")) {
        break;
      }
      if (!w.startsWith("--")) {
        return null;
      }
      int eq = w.indexOf('=');
      Opt o = Opt.find(eq < 0 ? w : w.substring(0, eq));
      if (o == null || o.takesValue() != (eq >= 0)) {
        return null;
      }
      a.put(o, eq < 0 ? null : w.substring(eq + 1));
    }
    a.command.addAll(words.subList(i, words.size()));
    return a;
  }
}
