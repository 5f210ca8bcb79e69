package jpack.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the option words the way GNU xargs' getopt does and rewrites them into long options
 * ({@code --name=value}, {@code --flag}) that {@link ParsedArgs} and picocli parse without
 * ambiguity; which options exist and whether they take a value comes from {@link Opt}. It handles
 * what picocli cannot: the optional, attached-only arguments of -e, -i, -l, --eof, --replace and
 * --max-lines; short-option clusters ending in a value that starts with '-' or '='; and the order
 * of the mutually exclusive -n / -L / -l / -I / -i, where the last one given wins with a warning
 * each time the kind changes, exactly as xargs warns.
 */
final class ArgvNormalizer {
  /** The kinds of grouping, of which only the last one given counts. */
  enum Family {
    MAX_ARGS(Opt.MAX_ARGS),
    MAX_LINES(Opt.MAX_LINES),
    REPLACE(Opt.REPLACE);

    final String longName;

    Family(Opt opt) {
      this.longName = opt.longName;
    }
  }

  /** A word that is not a known option. */
  static final class UnknownOption extends Exception {
    UnknownOption(String message) {
      super(message);
    }
  }

  private final Consumer<String> warn;
  private final List<String> out = new ArrayList<>();
  private Family family;

  ArgvNormalizer(Consumer<String> warn) {
    this.warn = warn;
  }

  /** The family whose option came last (null if none): the other two are ignored. */
  Family winner() {
    return family;
  }

  List<String> normalize(List<String> args) throws UnknownOption {
    int i = 0;
    while (i < args.size()) {
      String a = args.get(i);
      if (a.equals("--")) {
        break;
      }
      if (a.startsWith("--")) {
        i = longOption(args, i);
      } else if (a.startsWith("-") && a.length() > 1) {
        i = shortCluster(args, i);
      } else {
        break;
      }
    }
    out.addAll(args.subList(i, args.size()));
    return out;
  }

  private int longOption(List<String> args, int i) {
    String a = args.get(i);
    int eq = a.indexOf('=');
    String name = eq < 0 ? a : a.substring(0, eq);
    switch (name) {
      case "--eof":
        out.add(eq < 0 ? "--eof=" : a);
        return i + 1;
      case "--replace":
        seen(Family.REPLACE, "--replace/-I/-i");
        out.add(eq < 0 ? "--replace={}" : a);
        return i + 1;
      case "--max-lines":
        seen(Family.MAX_LINES, "--max-lines/-l");
        out.add(eq < 0 ? "--max-lines=1" : a);
        return i + 1;
      case "--max-args":
        maxArgs(eq < 0 ? (i + 1 < args.size() ? args.get(i + 1) : "") : a.substring(eq + 1));
        break;
      default:
        break;
    }
    Opt opt = Opt.find(name);
    if (eq < 0 && opt != null && opt.takesValue() && i + 1 < args.size()) {
      out.add(name + "=" + args.get(i + 1));
      return i + 2;
    }
    out.add(a);
    return i + 1;
  }

  private int shortCluster(List<String> args, int i) throws UnknownOption {
    String a = args.get(i);
    for (int j = 1; j < a.length(); j++) {
      char c = a.charAt(j);
      String rest = a.substring(j + 1);
      switch (c) {
        case 'e':
          out.add("--eof=" + rest);
          return i + 1;
        case 'i':
          seen(Family.REPLACE, "--replace/-I/-i");
          out.add("--replace=" + (rest.isEmpty() ? "{}" : rest));
          return i + 1;
        case 'l':
          seen(Family.MAX_LINES, "--max-lines/-l");
          out.add("--max-lines=" + (rest.isEmpty() ? "1" : rest));
          return i + 1;
        case 'n':
          maxArgs(!rest.isEmpty() ? rest : i + 1 < args.size() ? args.get(i + 1) : "");
          break;
        case 'L':
          seen(Family.MAX_LINES, "-L");
          break;
        case 'I':
          seen(Family.REPLACE, "--replace/-I/-i");
          break;
        default:
          break;
      }
      Opt opt = Opt.find("-" + c);
      if (opt == null) {
        throw new UnknownOption("invalid option -- '" + c + "'");
      }
      if (!opt.takesValue()) {
        out.add(opt.longName);
        continue;
      }
      if (!rest.isEmpty()) {
        out.add(opt.longName + "=" + rest);
        return i + 1;
      }
      if (i + 1 >= args.size()) {
        throw new UnknownOption("option requires an argument -- '" + c + "'");
      }
      out.add(opt.longName + "=" + args.get(i + 1));
      return i + 2;
    }
    return i + 1;
  }

  /** -n 1 goes with -I (one item per command either way): xargs keeps -I then, silently. */
  private void maxArgs(String value) {
    if (family == Family.REPLACE && value.trim().equals("1")) {
      return;
    }
    seen(Family.MAX_ARGS, "--max-args/-n");
  }

  private void seen(Family f, String displayName) {
    if (family != null && family != f) {
      warn.accept("warning: options " + family.longName + " and " + displayName
          + " are mutually exclusive, ignoring previous " + family.longName + " value");
    }
    family = f;
  }
}
