package jpack.exec;

/**
 * What a task used, as the kernel counts it when its starter reaps it (wait4(2)): known for the
 * tasks jpack-spawn starts, {@link #UNKNOWN} for the others (ProcessBuilder, a worker's tasks,
 * remote ones), never estimated.
 *
 * <p>The kernel counts the task's process and the descendants it waited for itself (a shell's
 * commands, say); processes it left running when it ended are not counted. {@code maxRssKb} is
 * the peak resident set of the largest <em>single</em> one of those processes, not their sum:
 * a task whose two children of 1 GB each ran at once shows 1 GB. It is also never below what
 * jpack-spawn itself holds resident (a megabyte or two): the task's process runs in the helper's
 * memory between its vfork and its exec.
 *
 * @param maxRssKb peak resident set size, KB (1024 bytes); -1 when unknown
 * @param userMicros user CPU time, microseconds; -1 when unknown
 * @param sysMicros system CPU time, microseconds; -1 when unknown
 */
public record Usage(long maxRssKb, long userMicros, long sysMicros) {
  /** Nothing known: every field -1. */
  public static final Usage UNKNOWN = new Usage(-1, -1, -1);

  /** All three known (each at least 0), or all three -1: never part of the figures. */
  public Usage {
    boolean unknown = maxRssKb == -1 && userMicros == -1 && sysMicros == -1;
    if (!unknown && (maxRssKb < 0 || userMicros < 0 || sysMicros < 0)) {
      throw new IllegalArgumentException("usage figures are all known or all -1: " + maxRssKb
          + " KB, " + userMicros + " us user, " + sysMicros + " us system");
    }
  }

  /** Whether the figures are there (else every accessor gives -1). */
  public boolean known() {
    return maxRssKb >= 0;
  }

  /** User plus system CPU time in microseconds; -1 when unknown. */
  public long cpuMicros() {
    return known() ? userMicros + sysMicros : -1;
  }
}
