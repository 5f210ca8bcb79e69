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

  public CommandBuilder(List<String> template, Grouping grouping) throws CommandLineException {
    this(template, grouping, false);
  }

  /**
   * @param placeholders GNU parallel's replacement strings instead of -I (grouping.replace() must
   *     then be non-null: one line per command)
   */
  public CommandBuilder(List<String> template, Grouping grouping, boolean placeholders)
      throws CommandLineException {
    this.placeholders = placeholders;
    this.template = List.copyOf(template);
    this.grouping = grouping;
    this.initialChars = sizeOf(template);
    this.chars = initialChars;
    if (grouping.replace() == null && initialChars > grouping.maxChars()) {
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
    long room = grouping.replace() == null ? grouping.maxChars() - initialChars : grouping.maxChars();
    return Math.max(0, room - 1);
  }

  public void item(String item) throws CommandLineException {
    if (placeholders) {
      Command c = Placeholders.expand(template, item);
      if (sizeOf(c.argv()) > grouping.maxChars()) {
        throw new CommandLineException("argument list too long");
      }
      emit(c);
      return;
    }
    if (grouping.replace() != null) {
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

  public void lineEnd() {
    if (grouping.replace() == null && grouping.maxLines() > 0 && ++lines >= grouping.maxLines()) {
      if (!args.isEmpty()) {
        emitPending();
      }
      lines = 0;
    }
  }

  /** End of input: what is pending runs; with no input at all the command runs once unless -r. */
  public void finish() {
    if (!args.isEmpty()
        || (grouping.replace() == null && !grouping.noRunIfEmpty() && emitted == 0)) {
      emitPending();
    }
  }

  /** Before an input error: run what is pending where xargs would (its exec_if_possible). */
  public void flushIfPossible() {
    if (grouping.replace() == null && !args.isEmpty() && !grouping.exitIfSizeExceeded()) {
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
    String pattern = grouping.replace();
    ArrayList<String> argv = new ArrayList<>(template.size());
    for (String a : template) {
      argv.add(pattern.isEmpty() ? a : a.replace(pattern, item));
    }
    return argv;
  }
}
