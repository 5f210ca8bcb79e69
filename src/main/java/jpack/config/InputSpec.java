package jpack.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the items come from and how they are split.
 *
 * @param argFile the file given with -a (or --commands), or null for standard input
 * @param framing how the stream is cut into items: xargs' blanks and quotes, or a delimiter
 * @param eofString the logical end-of-file string (-E, -e), or null for none
 * @param commandLines --commands: blank and # lines are no items, a CR before the newline goes
 * @param sweep GNU parallel's input sources (--placeholders with :::, ::::, several -a,
 *     --colsep, --header or --csv), or null: the one stream of argFile or standard input
 */
public record InputSpec(Path argFile, Framing framing, String eofString, boolean commandLines,
    Sweep sweep) {
  public InputSpec(Path argFile, Framing framing, String eofString) {
    this(argFile, framing, eofString, false, null);
  }

  /** xargs' default parsing: blanks and newlines separate items, quotes and backslashes escape. */
  public boolean quoted() {
    return framing instanceof Blanks;
  }

  /** How a stream is cut into items. */
  public sealed interface Framing permits Blanks, Delimited {}

  /** xargs' default: blanks and newlines separate items; quotes and backslashes escape. */
  public record Blanks() implements Framing {}

  /** Every item ends with this byte (-0: 0, -d, a line: '\n'); all other bytes are literal. */
  public record Delimited(int delimiter) implements Framing {
    public Delimited {
      if (delimiter < 0 || delimiter > 0xff) {
        throw new IllegalArgumentException("a delimiter is one byte: " + delimiter);
      }
    }
  }

  public static final Framing BLANKS = new Blanks();
  public static final Framing LINES = new Delimited('\n');

  /**
   * GNU parallel's input sources: each task takes one value of every source, in the cartesian
   * product of the sources (the last varies fastest) or, where they are linked, side by side.
   *
   * @param sources in the order given; each one's values are its records (lines, or delimited
   *     items) split into columns
   * @param linkAll --link: all the sources side by side, the shorter ones wrapping round
   * @param columns how each record is split into columns
   * @param header --header: the first record of each source names its columns ({name})
   * @param framing how a file source is cut into records
   */
  public record Sweep(List<Source> sources, boolean linkAll, Columns columns, boolean header,
      Framing framing) {
    public Sweep {
      sources = List.copyOf(sources);
      if (sources.isEmpty()) {
        throw new IllegalArgumentException("a sweep has at least one source");
      }
    }
  }

  /** One input source; linked: zipped with the source before it (:::+, ::::+). */
  public sealed interface Source permits Args, InputFile, Stdin {
    boolean linked();
  }

  /** ::: values: the values given on the command line. */
  public record Args(List<String> values, boolean linked) implements Source {
    public Args {
      values = List.copyOf(values);
    }
  }

  /** :::: FILE or -a FILE: the file's records. */
  public record InputFile(Path path, boolean linked) implements Source {}

  /** :::: - or -a -: standard input's records. */
  public record Stdin(boolean linked) implements Source {}

  /** How a record becomes columns: {1} {2} ... */
  public sealed interface Columns permits Whole, Separated, Csv {}

  /** The record is one column. */
  public record Whole() implements Columns {}

  /** --colsep REGEX: the record split at every match (empty columns kept). */
  public record Separated(String regex) implements Columns {}

  /** --csv: RFC 4180 records (quoted fields may hold the separator, quotes and newlines). */
  public record Csv(char separator) implements Columns {}
}
