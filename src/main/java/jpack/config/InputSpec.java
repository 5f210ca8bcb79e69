package jpack.config;

import java.nio.file.Path;

/**
 * Where the items come from and how they are split.
 *
 * @param argFile the file given with -a (or --commands), or null for standard input
 * @param delimiter the byte that ends an item (-0, -d), or -1 for xargs' default blank/quote parsing
 * @param eofString the logical end-of-file string (-E, -e), or null for none
 * @param commandLines --commands: blank and # lines are no items, a CR before the newline goes
 */
public record InputSpec(Path argFile, int delimiter, String eofString, boolean commandLines) {
  public InputSpec(Path argFile, int delimiter, String eofString) {
    this(argFile, delimiter, eofString, false);
  }

  public boolean quoted() {
    return delimiter < 0;
  }
}
