package jpack.command;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import jpack.config.Grouping;

/**
 * Turns items and line ends into command lines, as GNU xargs' buildcmd does: appended arguments
 * bounded by -n, -L and -s (with -x), or one command per line with every occurrence of the -I string
 * replaced. Finished command lines queue up until {@link #poll()} takes them.
 */
public final class CommandBuilder {
  private final List<String> template;
  private final Grouping grouping;
  private final long initialChars;
  private final ArrayDeque<Command> ready = new ArrayDeque<>();

  private final ArrayList<String> args = new ArrayList<>();
  private long chars;
  private long lines;
  private long emitted;

  private final boolean placeholders;
  /** -I's string, or null. */
  private final String replace;

  public CommandBuilder(List<String> template, Grouping grouping) throws CommandLineException {
    this(template, grouping, false);
  }

  /**
   * @param placeholders GNU parallel's replacement strings (as grouping's {@link
   *     Grouping.Parallel} says: this flag is kept for Runner's call)
   */
  public CommandBuilder(List<String> template, Grouping grouping, boolean placeholders)
      throws CommandLineException {
    this.placeholders = placeholders || grouping.substitution() instanceof Grouping.Parallel;
    this.template = List.copyOf(template);
    this.grouping = grouping;
    this.replace = grouping.substitution() instanceof Grouping.Replace r ? r.string() : null;
    this.initialChars = sizeOf(template);
    this.chars = initialChars;
    if (!grouping.linePerCommand() && initialChars > grouping.maxChars()) {
      throw new CommandLineException("cannot fit single argument within argument list size limit");
    }
  }

  /** Bytes a command line takes on exec: each argument plus its terminating NUL. */
  public static long sizeOf(List<String> argv) {
    long n = 0;
    for (String a : argv) {
      n += a.length() + 1;
    }
    return n;
  }

  /** The longest single item the input may hold (xargs' "argument line too long" limit). */
  public long maxItemLength() {
    long room = grouping.linePerCommand() ? grouping.maxChars()
        : grouping.maxChars() - initialChars;
    return Math.max(0, room - 1);
  }

  public void item(String item) throws CommandLineException {
    if (placeholders) {
      row(List.of(item), List.of());
      return;
    }
    if (replace != null) {
      List<String> argv = replaced(item);
      if (sizeOf(argv) > grouping.maxChars()) {
        throw new CommandLineException("argument list too long");
      }
      emit(new Command(argv, argv.size(), item));
      return;
    }
    long size = item.length() + 1L;
    if (chars + size > grouping.maxChars()) {
      if (args.isEmpty()) {
        throw new CommandLineException("cannot fit single argument within argument list size limit");
      }
      if (grouping.exitIfSizeExceeded() && (grouping.maxArgs() > 0 || grouping.maxLines() > 0)) {
        throw new CommandLineException("argument list too long"); // as xargs: -x binds -n, -L
      }
      emitPending();
    }
    args.add(item);
    chars += size;
    if (grouping.maxArgs() > 0 && args.size() >= grouping.maxArgs()) {
      emitPending();
    }
  }

  /**
   * A sweep's row (GNU parallel's input sources): one command, by the placeholders.
   *
   * @param names the --header names of the row's columns, or empty
   */
  public void row(List<String> values, List<String> names) throws CommandLineException {
    Command c = Placeholders.expand(template, values, names);
    if (sizeOf(c.argv()) > grouping.maxChars()) {
      throw new CommandLineException("argument list too long");
    }
    emit(c);
  }

  public void lineEnd() {
    if (!grouping.linePerCommand() && grouping.maxLines() > 0 && ++lines >= grouping.maxLines()) {
      if (!args.isEmpty()) {
        emitPending();
      }
      lines = 0;
    }
  }

  /** End of input: what is pending runs; with no input at all the command runs once unless -r. */
  public void finish() {
    if (!args.isEmpty()
        || (!grouping.linePerCommand() && !grouping.noRunIfEmpty() && emitted == 0)) {
      emitPending();
    }
  }

  /** Before an input error: run what is pending where xargs would (its exec_if_possible). */
  public void flushIfPossible() {
    if (!grouping.linePerCommand() && !args.isEmpty() && !grouping.exitIfSizeExceeded()) {
      emitPending();
    }
  }

  /** The next finished command line, or null. */
  public Command poll() {
    return ready.poll();
  }

  /** The arguments appended so far to the command line being built (for -t before an error). */
  public boolean hasPending() {
    return !args.isEmpty();
  }

  private void emitPending() {
    ArrayList<String> argv = new ArrayList<>(template.size() + args.size());
    argv.addAll(template);
    argv.addAll(args);
    args.clear();
    chars = initialChars;
    emit(new Command(argv, template.size(), null));
  }

  private void emit(Command command) {
    emitted++;
    ready.add(command);
  }

  private List<String> replaced(String item) {
    ArrayList<String> argv = new ArrayList<>(template.size());
    for (String a : template) {
      argv.add(replace.isEmpty() ? a : a.replace(replace, item));
    }
    return argv;
  }
}
