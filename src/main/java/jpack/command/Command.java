package jpack.command;

import java.util.List;

/**
 * One command line to run.
 *
 * @param argv the program and its arguments
 * @param itemsFrom where the appended input items start in argv
 * @param line the input line substituted with -I, or null
 * @param late whether argv still holds {#} or {%}, which only the run can fill in
 */
public record Command(List<String> argv, int itemsFrom, String line, boolean late) {
  public Command(List<String> argv, int itemsFrom, String line) {
    this(argv, itemsFrom, line, false);
  }

  /** argv with {#} as the task's seq and {%} as its slot from 1 (GNU parallel's job slot). */
  public List<String> argvFor(long seq, int slot) {
    if (!late) {
      return argv;
    }
    java.util.ArrayList<String> out = new java.util.ArrayList<>(argv.size());
    for (String a : argv) {
      out.add(a.replace("{#}", Long.toString(seq)).replace("{%}", Integer.toString(slot + 1)));
    }
    return out;
  }

  /** The input this command was built from, as --tag shows it: items joined by blanks. */
  public String tag() {
    return line != null ? line : String.join(" ", argv.subList(itemsFrom, argv.size()));
  }
}
