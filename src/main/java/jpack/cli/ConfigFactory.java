package jpack.cli;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import jpack.config.Grouping;
import jpack.config.InputSpec;
import jpack.config.OutputMode;
import jpack.config.RunConfig;
import jpack.config.SystemLimits;

/**
 * Turns the parsed options into a {@link RunConfig}: every value check and every rule that involves
 * several options lives here, with GNU xargs' wording for the options xargs has.
 */
final class ConfigFactory {
  private ConfigFactory() {}

  static RunConfig build(
      JpackCommand c, ArgvNormalizer.Family winner, SystemLimits limits, Consumer<String> warn)
      throws UsageException {
    long maxArgs = 0;
    long maxLines = 0;
    String replace = null;
    if (winner == ArgvNormalizer.Family.MAX_ARGS) {
      maxArgs = count(c.build.maxArgs, "-n", 1, Long.MAX_VALUE);
    } else if (winner == ArgvNormalizer.Family.MAX_LINES) {
      maxLines = count(c.build.maxLines, "-L", 1, Long.MAX_VALUE);
    } else if (winner == ArgvNormalizer.Family.REPLACE) {
      replace = c.build.replace;
    }

    long maxChars = limits.defaultMaxChars();
    if (c.build.maxChars != null) {
      maxChars = count(c.build.maxChars, "-s", 1, Long.MAX_VALUE);
      if (maxChars > limits.posixUpper()) {
        warn.accept("warning: value " + c.build.maxChars + " for -s option should be <= "
            + limits.posixUpper());
        maxChars = limits.posixUpper();
      }
      maxChars = Math.min(maxChars, limits.usable());
    }
    boolean exitIfSizeExceeded = c.build.exit || maxLines > 0 || replace != null;

    int delimiter = -1;
    if (c.input.nul) {
      delimiter = 0;
    }
    if (c.input.delimiter != null) {
      delimiter = delimiter(c.input.delimiter);
    }
    String eof = c.input.eof == null || c.input.eof.isEmpty() ? null : c.input.eof;
    if (eof != null && delimiter >= 0) {
      warn.accept("warning: the -E option has no effect if -0 or -d is used.");
      eof = null;
    }

    int maxProcs = Runtime.getRuntime().availableProcessors();
    if (c.concurrency.maxProcs != null) {
      long p = count(c.concurrency.maxProcs, "-P", 0, Integer.MAX_VALUE);
      maxProcs = p == 0 ? Integer.MAX_VALUE : (int) p;
    }
    String slotVar = c.concurrency.processSlotVar;
    if (slotVar != null && (slotVar.isEmpty() || slotVar.contains("="))) {
      throw new UsageException("invalid --process-slot-var name '" + slotVar + "'");
    }

    OutputMode mode = OutputMode.GROUP;
    if (c.output.lineBuffer) {
      mode = OutputMode.LINE;
    } else if (c.output.ungroup) {
      mode = c.output.tag ? OutputMode.LINE : OutputMode.UNGROUP;
    }
    // Without -P, jpack uses every CPU but keeps what xargs' one-at-a-time run would show: output in
    // input order, and a first task that runs alone for a moment, so a command that fails at once
    // (not found, exit 255, a crash) fails once, not on every core.
    boolean defaultProcs = c.concurrency.maxProcs == null;
    boolean keepOrder = (c.output.keepOrder || defaultProcs) && mode != OutputMode.UNGROUP;
    if (keepOrder) {
      mode = OutputMode.GROUP; // ordered output needs whole blocks
    }

    List<String> command = c.command.isEmpty() ? List.of("echo") : c.command;
    Path argFile = c.input.argFile == null ? null : Path.of(c.input.argFile);
    return new RunConfig(
        command,
        new InputSpec(argFile, delimiter, eof),
        new Grouping(maxArgs, maxLines, replace, maxChars, exitIfSizeExceeded,
            c.build.noRunIfEmpty),
        maxProcs,
        slotVar,
        c.output.verbose || c.other.interactive,
        c.other.interactive,
        c.other.openTty,
        mode,
        keepOrder,
        c.output.tag,
        defaultProcs && maxProcs > 1,
        c.other.debug);
  }

  /** A count as xargs reads it: values past the 64-bit range are clamped, not refused. */
  static long count(String value, String option, long min, long max) throws UsageException {
    BigInteger v;
    try {
      v = new BigInteger(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("invalid number \"" + value + "\" for " + option + " option");
    }
    if (v.compareTo(BigInteger.valueOf(min)) < 0) {
      throw new UsageException(
          "value " + value + " for " + option + " option should be >= " + min);
    }
    if (max < Long.MAX_VALUE && v.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new UsageException(
          "value " + value + " for " + option + " option should be <= " + max);
    }
    return v.bitLength() > 63 ? Long.MAX_VALUE : v.longValue();
  }

  /** -d's argument: one byte, or a C escape (\n, \t, \0, \\, \xHH, \ooo, ...). */
  static int delimiter(String spec) throws UsageException {
    if (spec.length() == 1) {
      return spec.charAt(0) & 0xff;
    }
    if (spec.length() >= 2 && spec.charAt(0) == '\\') {
      String rest = spec.substring(1);
      if (rest.length() == 1) {
        switch (rest.charAt(0)) {
          case 'a': return 7;
          case 'b': return '\b';
          case 'f': return '\f';
          case 'n': return '\n';
          case 'r': return '\r';
          case 't': return '\t';
          case 'v': return 11;
          case '\\': return '\\';
          default: break;
        }
      }
      try {
        if (rest.charAt(0) == 'x' && rest.length() > 1 && rest.length() <= 3) {
          return Integer.parseInt(rest.substring(1), 16);
        }
        if (rest.chars().allMatch(ch -> ch >= '0' && ch <= '7') && rest.length() <= 3) {
          int v = Integer.parseInt(rest, 8);
          if (v <= 0xff) {
            return v;
          }
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new UsageException("Invalid input delimiter specification " + spec
        + ": the delimiter must be either a single character or an escape sequence starting"
        + " with \\.");
  }
}
