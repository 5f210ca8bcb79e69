package jpack.config;

/**
 * When to stop early, as GNU parallel's --halt: WHEN,WHAT=N or WHEN,WHAT=N%.
 *
 * @param when XARGS (the default: stop starting after a task exits 255 or is killed by a signal),
 *     NEVER, SOON (start nothing more, let running tasks finish) or NOW (also stop them)
 * @param what which tasks count: failed, succeeded or all finished ones
 * @param threshold the count, or the percentage when percent is set
 * @param percent whether threshold is a percentage of the finished tasks
 */
public record Halt(When when, What what, double threshold, boolean percent) {
  public enum When { XARGS, NEVER, SOON, NOW }

  public enum What { FAIL, SUCCESS, DONE }

  public static final Halt DEFAULT = new Halt(When.XARGS, What.FAIL, 0, false);

  /** Whether the counts so far reach the threshold. */
  public boolean reached(long failed, long succeeded) {
    if (when == When.XARGS || when == When.NEVER) {
      return false;
    }
    long finished = failed + succeeded;
    long n = switch (what) {
      case FAIL -> failed;
      case SUCCESS -> succeeded;
      case DONE -> finished;
    };
    if (percent) {
      return finished > 0 && n * 100.0 / finished >= threshold && n > 0;
    }
    return n >= threshold;
  }
}
