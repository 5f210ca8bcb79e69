package jpack.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jpack.config.InputSpec;

/**
 * The input side of the options: where items come from (standard input, -a, --commands, or GNU
 * parallel's input sources with --placeholders), how they are cut (-0, -d, xargs' blanks and
 * quotes, lines) and, for a sweep, split into columns (--colsep, --csv, --header). Also what
 * the command becomes where the input decides it (--commands: sh -c; a sweep: the words before
 * the first :::). A part of {@link ConfigFactory}, which calls it once.
 */
final class InputConfig {
  private InputConfig() {}

  /** The input, the command, and whether GNU parallel's placeholders apply. */
  record Input(InputSpec spec, List<String> command, boolean placeholders) {}

  /** The words that start an input source in the command: GNU parallel's. */
  private static final List<String> MARKERS = List.of(":::", "::::", ":::+", "::::+");

  /**
   * @param placeholders --placeholders or --worker (a task per input line)
   */
  static Input build(ParsedArgs a, ArgvNormalizer.Family winner, boolean worker,
      boolean placeholders, Map<String, String> env, Consumer<String> warn)
      throws UsageException {
    InputSpec.Framing framing = InputSpec.BLANKS;
    if (a.has(Opt.NUL)) {
      framing = new InputSpec.Delimited(0);
    }
    if (a.get(Opt.DELIMITER) != null) {
      framing = new InputSpec.Delimited(delimiter(a.get(Opt.DELIMITER)));
    }
    boolean delimited = framing instanceof InputSpec.Delimited;
    String commands = a.get(Opt.COMMANDS);
    List<String> command = a.command().isEmpty() ? List.of("echo") : List.copyOf(a.command());
    if (commands != null) {
      String clash = a.get(Opt.ARG_FILE) != null ? "-a" : winner != null ? "-n, -L and -I"
          : delimited ? "-0 and -d" : worker ? "--worker"
          : placeholders ? "--placeholders" : !a.command().isEmpty() ? "a COMMAND" : null;
      if (clash != null) {
        throw new UsageException("--commands (every line of the file is a whole command) cannot"
            + " be used with " + clash);
      }
      command = List.of(shell(env), "-c");
      placeholders = true; // the line, taken literally, goes after sh -c
      framing = InputSpec.LINES;
    }
    if (placeholders) {
      if (winner == ArgvNormalizer.Family.REPLACE) {
        throw new UsageException("--placeholders and -I/-i cannot be used together");
      }
      if (!delimited) {
        framing = InputSpec.LINES; // as GNU parallel: one line, taken literally, per task
      }
    }
    String eof = a.get(Opt.EOF) == null || a.get(Opt.EOF).isEmpty() ? null : a.get(Opt.EOF);
    if (eof != null && framing instanceof InputSpec.Delimited) {
      warn.accept("warning: the -E option has no effect if -0 or -d is used.");
      eof = null;
    }

    InputSpec.Sweep sweep = a.has(Opt.PLACEHOLDERS) && !worker ? sweep(a, framing) : null;
    if (sweep == null) {
      for (Opt o : List.of(Opt.LINK, Opt.COLSEP, Opt.HEADER, Opt.CSV)) {
        if (a.has(o)) {
          throw new UsageException(o.longName + " needs --placeholders (GNU parallel's mode)"
              + (worker ? ", without --worker" : ""));
        }
      }
    } else {
      int first = firstMarker(a.command());
      List<String> words = first < 0 ? a.command() : a.command().subList(0, first);
      command = words.isEmpty() ? List.of("echo") : List.copyOf(words);
      return new Input(new InputSpec(null, framing, eof, false, sweep), command, true);
    }

    String argFileArg = a.get(Opt.ARG_FILE);
    Path argFile = commands != null ? Path.of(commands)
        : argFileArg == null || Path.of(argFileArg).toString().equals("-") ? null // as xargs 4.9
        : Path.of(argFileArg);
    if (argFile != null && a.get(Opt.SHARD) != null && argFile.toString().contains("{shard}")) {
      throw new UsageException((commands != null ? "--commands " : "--arg-file ")
          + argFile + ": {shard} is not"
          + " expanded in the input: --shard already takes this part's tasks from the whole"
          + " list, so give every part the same file");
    }
    return new Input(new InputSpec(argFile, framing, eof, commands != null, null), command,
        placeholders);
  }

  /**
   * GNU parallel's input sources, or null when the input is the one stream of the xargs-like
   * path (no :::, at most one -a, no --colsep, --header, --csv or --link): several -a first,
   * then the sources of the command line in their order.
   */
  static InputSpec.Sweep sweep(ParsedArgs a, InputSpec.Framing framing) throws UsageException {
    List<String> words = a.command();
    int first = firstMarker(words);
    List<String> argFiles = a.all(Opt.ARG_FILE);
    boolean any = first >= 0 || argFiles.size() > 1 || a.has(Opt.COLSEP) || a.has(Opt.HEADER)
        || a.has(Opt.CSV) || a.has(Opt.LINK);
    if (!any) {
      return null;
    }
    List<InputSpec.Source> sources = new ArrayList<>();
    for (String f : argFiles) {
      sources.add(file(f, false));
    }
    if (first >= 0) {
      int i = first;
      while (i < words.size()) {
        String marker = words.get(i++);
        boolean linked = marker.endsWith("+");
        List<String> values = new ArrayList<>();
        while (i < words.size() && !MARKERS.contains(words.get(i))) {
          values.add(words.get(i++));
        }
        if (marker.startsWith("::::")) {
          if (values.isEmpty()) {
            throw new UsageException(marker + " needs a file (or - for standard input)");
          }
          for (String f : values) {
            sources.add(file(f, linked));
          }
        } else {
          sources.add(new InputSpec.Args(values, linked));
        }
      }
    }
    if (sources.isEmpty()) {
      sources.add(new InputSpec.Stdin(false));
    }
    InputSpec.Framing records = framing instanceof InputSpec.Delimited ? framing
        : InputSpec.LINES;
    return new InputSpec.Sweep(sources, a.has(Opt.LINK), columns(a), a.has(Opt.HEADER), records);
  }

  /** The shell of --commands: $SHELL when it is a POSIX shell, else sh (csh would differ). */
  static String shell(Map<String, String> env) {
    String s = env.get("SHELL");
    if (s != null && s.startsWith("/")) {
      String name = s.substring(s.lastIndexOf('/') + 1);
      if (List.of("sh", "bash", "dash", "ksh", "mksh", "zsh", "ash").contains(name)) {
        return s;
      }
    }
    return "/bin/sh";
  }

  private static InputSpec.Source file(String name, boolean linked) {
    return name.equals("-") ? new InputSpec.Stdin(linked)
        : new InputSpec.InputFile(Path.of(name), linked);
  }

  private static int firstMarker(List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      if (MARKERS.contains(words.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** --colsep REGEX, --csv (its separator: a one-character --colsep, else a comma). */
  private static InputSpec.Columns columns(ParsedArgs a) throws UsageException {
    String colsep = a.get(Opt.COLSEP);
    if (a.has(Opt.CSV)) {
      if (colsep != null && colsep.length() != 1) {
        throw new UsageException("--csv takes a one-character --colsep (the CSV separator),"
            + " not '" + colsep + "'");
      }
      return new InputSpec.Csv(colsep == null ? ',' : colsep.charAt(0));
    }
    if (colsep == null) {
      return new InputSpec.Whole();
    }
    if (colsep.isEmpty()) {
      throw new UsageException("invalid --colsep '': give a regular expression");
    }
    try {
      Pattern.compile(colsep);
    } catch (PatternSyntaxException e) {
      throw new UsageException("invalid --colsep '" + colsep + "': " + e.getDescription());
    }
    return new InputSpec.Separated(colsep);
  }

  /** -d's argument: one byte, or a C escape (\n, \t, \0, \\, \xHH, \ooo, ...). */
  static int delimiter(String spec) throws UsageException {
    if (spec.length() == 1) {
      return spec.charAt(0) & 0xff;
    }
    if (spec.length() >= 2 && spec.charAt(0) == '\\') {
      String rest = spec.substring(1);
      if (rest.length() == 1) {
        switch (rest.charAt(0)) {
          case 'a': return 7;
          case 'b': return '\b';
          case 'f': return '\f';
          case 'n': return '\n';
          case 'r': return '\r';
          case 't': return '\t';
          case 'v': return 11;
          case '\\': return '\\';
          default: break;
        }
      }
      try {
        if (rest.charAt(0) == 'x' && rest.length() > 1 && rest.length() <= 3) {
          return Integer.parseInt(rest.substring(1), 16);
        }
        if (rest.chars().allMatch(ch -> ch >= '0' && ch <= '7') && rest.length() <= 3) {
          int v = Integer.parseInt(rest, 8);
          if (v <= 0xff) {
            return v;
          }
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new UsageException("Invalid input delimiter specification " + spec
        + ": the delimiter must be either a single character or an escape sequence starting"
        + " with \\.");
  }
}
