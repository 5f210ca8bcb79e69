package jpack.config;

import java.nio.file.Path;

/**
 * Where the items come from and how they are split.
 *
 * @param argFile the file given with -a, or null for standard input
 * @param delimiter the byte that ends an item (-0, -d), or -1 for xargs' default blank/quote parsing
 * @param eofString the logical end-of-file string (-E, -e), or null for none
 */
public record InputSpec(Path argFile, int delimiter, String eofString) {
  public boolean quoted() {
    return delimiter < 0;
  }
}
