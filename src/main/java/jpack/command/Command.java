package jpack.command;

import java.util.List;

/**
 * One command line to run.
 *
 * @param argv the program and its arguments
 * @param itemsFrom where the appended input items start in argv
 * @param line the input line substituted with -I, or null
 */
public record Command(List<String> argv, int itemsFrom, String line) {
  /** The input this command was built from, as --tag shows it: items joined by blanks. */
  public String tag() {
    return line != null ? line : String.join(" ", argv.subList(itemsFrom, argv.size()));
  }
}
