package jpack.app;

import java.io.IOException;
import jpack.command.ShellQuote;
import jpack.exec.ExitInfo;
import jpack.joblog.JobLog;
import jpack.output.Results;
import jpack.output.Spool;

/**
 * What is written of a task once it ended and its output was delivered: its job-log line (GNU
 * parallel's fields and what it used) and its --results row (the same, with its values).
 */
final class TaskRecords {
  private final Spool spool;
  private final HostSlots hosts;

  TaskRecords(Spool spool, HostSlots hosts) {
    this.spool = spool;
    this.hosts = hosts;
  }

  /** The task's job-log line, written once its output is delivered (see Accounting.print). */
  JobLog.Line logLine(Task t, ExitInfo exit, long runtime) throws IOException {
    return JobLog.line(t.seq(), host(t), t.startMillis, runtime, sent(t), received(t),
        exitval(t, exit), signal(t, exit), ShellQuote.join(t.argv()), usage(exit), t.oomKilled);
  }

  /** Its --results row: the job log's fields, its values and what it used. */
  Results.Row row(Task t, ExitInfo exit, long runtime) throws IOException {
    jpack.exec.Usage u = exit.usage();
    return new Results.Row(t.seq(), host(t), t.startMillis, runtime, sent(t), received(t),
        exitval(t, exit), signal(t, exit), ShellQuote.join(t.argv()),
        t.ready.command().values(), t.ready.command().names(), u.maxRssKb(),
        u.known() ? u.userMicros() : -1, u.known() ? u.sysMicros() : -1);
  }

  private static int exitval(Task t, ExitInfo exit) {
    return t.timedOut || exit.signal() != 0 ? -1 : exit.exitCode();
  }

  private static int signal(Task t, ExitInfo exit) {
    return exit.signal() != 0 ? exit.signal() : t.timedOut ? 15 : 0;
  }

  private String host(Task t) {
    return t.host < 0 ? ":" : hosts.host(t.host).name();
  }

  private static long sent(Task t) {
    return t.workerSink == null ? 0 // --worker: the line it was sent
        : t.ready.command().tag().length() + 1;
  }

  private long received(Task t) throws IOException {
    return spool != null ? spool.stdoutSize(t.spoolSlot) : 0;
  }

  /** What the task used, as the job log's companion file keeps it (unknown: not written). */
  private static JobLog.Usage usage(ExitInfo exit) {
    jpack.exec.Usage u = exit.usage();
    return u.known() ? new JobLog.Usage(u.maxRssKb(), u.userMicros(), u.sysMicros())
        : JobLog.Usage.UNKNOWN;
  }
}
