package jpack.config;

/**
 * How items are grouped into command lines, as xargs does it.
 *
 * @param maxArgs -n, 0 when not given
 * @param maxLines -L / -l, 0 when not given
 * @param substitution how an item gets into the command: appended, -I's string, or GNU
 *     parallel's placeholders
 * @param maxChars -s: the most bytes a command line may take, counting a NUL after each argument
 * @param exitIfSizeExceeded -x (also implied by -L and -I)
 * @param noRunIfEmpty -r
 */
public record Grouping(
    long maxArgs,
    long maxLines,
    Substitution substitution,
    long maxChars,
    boolean exitIfSizeExceeded,
    boolean noRunIfEmpty) {

  public Grouping {
    if (substitution == null) {
      throw new IllegalArgumentException("substitution: Append, Replace or Parallel");
    }
  }

  /** How input gets into a command line. */
  public sealed interface Substitution permits Append, Replace, Parallel {}

  /** xargs' default: as many items as fit (-n, -L, -s) are appended to the initial arguments. */
  public record Append() implements Substitution {}

  /**
   * -I STR: one command per line, every STR in the initial arguments replaced by the line (an
   * empty STR replaces nothing).
   */
  public record Replace(String string) implements Substitution {
    public Replace {
      if (string == null) {
        throw new IllegalArgumentException("-I needs a string (empty: nothing is replaced)");
      }
    }
  }

  /** --placeholders: one command per input line or sweep row, GNU parallel's {} {1} {name}... */
  public record Parallel() implements Substitution {}

  public static final Substitution APPEND = new Append();
  public static final Substitution PARALLEL = new Parallel();

  /** Whether each command takes one whole line (or row): -I and --placeholders. */
  public boolean linePerCommand() {
    return !(substitution instanceof Append);
  }
}
