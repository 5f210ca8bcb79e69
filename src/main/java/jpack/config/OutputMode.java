package jpack.config;

/** How the output of the tasks reaches jpack's stdout and stderr. */
public enum OutputMode {
  /** Each task's output is spooled to files and printed as one block when the task ends (default). */
  GROUP,
  /** Whole lines as they come; lines of different tasks may interleave, a line is never torn. */
  LINE,
  /** Children write straight to jpack's stdout and stderr, as xargs does. */
  UNGROUP
}
