package jpack.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * jpack's exit statuses, the one table of them: GNU xargs' table, plus 75 (incomplete at the
 * deadline) and 141 when jpack's own stdout was closed; 128+N for a signal that stopped jpack is
 * {@link #signalled}. --help and the man page are generated from {@link #documented}, and a test
 * holds README.md's table to it. Declared in the order of their codes.
 */
public enum ExitStatus {
  OK(0, "every task exited 0"),
  /** Usage errors, bad input, and other errors of jpack's own. */
  FAILURE(1, "a usage error or another error of jpack's own (one line on stderr)"),
  /** Stopped at the deadline with tasks left (EX_TEMPFAIL): run again with --resume. */
  INCOMPLETE(75, "stopped (deadline, SIGHUP) with tasks left: run again with --resume"),
  /** Some task exited with a status from 1 to 125. */
  TASK_FAILED(123, "some task exited with a status from 1 to 125"),
  /** A task exited with 255: jpack started nothing more. */
  TASK_EXIT_255(124, "a task exited with 255: jpack started nothing more"),
  /** A task was killed by a signal: jpack started nothing more. */
  TASK_SIGNALLED(125, "a task was killed by a signal: jpack started nothing more"),
  /** The command could not be run. */
  CANNOT_RUN(126, "the command could not be run"),
  /** The command was not found. */
  NOT_FOUND(127, "the command was not found"),
  /** jpack's standard output was closed by its reader (128 + SIGPIPE): jpack stopped quietly. */
  OUTPUT_CLOSED(141, "jpack's stdout was closed by its reader");

  /** How the docs write the statuses of {@link #signalled}, and what they mean. */
  public static final String SIGNALLED_CODES = "128+N";

  public static final String SIGNALLED_MEANING = "jpack was stopped by signal N (143 for SIGTERM)";

  private final int code;
  private final String meaning;

  ExitStatus(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  /** What the status tells the user, for the summary and the docs. */
  public String meaning() {
    return meaning;
  }

  /** The status of a jpack stopped by signal n: 128+n. */
  public static int signalled(int n) {
    return 128 + n;
  }

  /** What any status jpack exits with means. */
  public static String meaningOf(int code) {
    for (ExitStatus s : values()) {
      if (s.code == code) {
        return s.meaning;
      }
    }
    return code > 128 ? "jpack was stopped by signal " + (code - 128) : "exit status " + code;
  }

  /**
   * Every status as the docs give it, by code: "0", "1", ..., "128+N" (in its place, 128), "141";
   * each with its meaning.
   */
  public static Map<String, String> documented() {
    Map<String, String> table = new LinkedHashMap<>();
    for (ExitStatus s : values()) {
      if (s.code > 128 && !table.containsKey(SIGNALLED_CODES)) {
        table.put(SIGNALLED_CODES, SIGNALLED_MEANING);
      }
      table.put(String.valueOf(s.code), s.meaning);
    }
    table.putIfAbsent(SIGNALLED_CODES, SIGNALLED_MEANING);
    return table;
  }
}
