package jpack.config;

/**
 * How items are grouped into command lines, as xargs does it.
 *
 * @param maxArgs -n, 0 when not given
 * @param maxLines -L / -l, 0 when not given
 * @param replace -I / -i replacement string, or null
 * @param maxChars -s: the most bytes a command line may take, counting a NUL after each argument
 * @param exitIfSizeExceeded -x (also implied by -L and -I)
 * @param noRunIfEmpty -r
 */
public record Grouping(
    long maxArgs,
    long maxLines,
    String replace,
    long maxChars,
    boolean exitIfSizeExceeded,
    boolean noRunIfEmpty) {}
