package jpack.command;

import java.util.ArrayList;
import java.util.List;

/**
 * One command line to run.
 *
 * @param argv the program and its arguments
 * @param itemsFrom where the appended input items start in argv
 * @param line the input line substituted with -I, or null
 * @param late whether argv still holds {#} or {%}, which only the run can fill in
 * @param row the values it was built from (a sweep's row), or null: then the -I line or the
 *     appended items (see {@link #values})
 * @param names the --header names of the row's columns (may be shorter than it), or empty
 */
public record Command(List<String> argv, int itemsFrom, String line, boolean late,
    List<String> row, List<String> names) {
  public Command(List<String> argv, int itemsFrom, String line) {
    this(argv, itemsFrom, line, false);
  }

  public Command(List<String> argv, int itemsFrom, String line, boolean late) {
    this(argv, itemsFrom, line, late, null, List.of());
  }

  /** argv with {#} as the task's seq and {%} as its slot from 1 (GNU parallel's job slot). */
  public List<String> argvFor(long seq, int slot) {
    if (!late) {
      return argv;
    }
    ArrayList<String> out = new ArrayList<>(argv.size());
    for (String a : argv) {
      out.add(late(a, seq, slot));
    }
    return out;
  }

  /** {#} as seq and {%} as the slot from 1. */
  static String late(String a, long seq, int slot) {
    return a.replace("{#}", Long.toString(seq)).replace("{%}", Integer.toString(slot + 1));
  }

  /** The input this command was built from, as --tag shows it: items joined by blanks. */
  public String tag() {
    return line != null ? line : String.join(" ", argv.subList(itemsFrom, argv.size()));
  }

  /**
   * The task's values, as --tagstring, --wd and --results see them: the sweep's row, else the
   * -I line, else the appended items.
   */
  public List<String> values() {
    return row != null ? row : line != null ? List.of(line)
        : argv.subList(itemsFrom, argv.size());
  }

  /**
   * template (--tagstring, --wd) with GNU parallel's replacement strings on this task's
   * values; {#} and {%} as seq and slot. Nothing is appended when it has none.
   */
  public String expand(String template, long seq, int slot) {
    return Placeholders.text(template, values(), names, seq, slot);
  }
}
