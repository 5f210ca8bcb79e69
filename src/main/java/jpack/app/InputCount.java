package jpack.app;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import jpack.config.InputSpec;
import jpack.input.FollowingInput;
import jpack.output.Spool;
import jpack.app.Event.InputEnd;
import jpack.app.Event.Ready;
import jpack.command.CommandBuilder;
import jpack.command.CommandLineException;
import jpack.config.RunConfig;
import jpack.input.ItemReader;
import jpack.joblog.LoggedTasks;

/**
 * The total for --bar, --progress and --status: how many commands the run will start, counted
 * ahead on a thread of its own by the run's own input side over a second reading of the input
 * (a regular file read again; a pipe once it has been read ahead to its end), so -n, -L, -I, the
 * sweeps, --shard and --resume count as they run. Unknown (-1) until the count is done.
 */
final class InputCount {
  private volatile long total = -1;
  private volatile boolean stopped;

  private FollowingInput ahead;

  long total() {
    return total;
  }

  /**
   * Starts the count when a report shows a total (--bar, --progress, --status) and the input
   * can be read twice: a file (-a, a sweep's files, a regular file on stdin), or a pipe on stdin,
   * which is then read ahead into an unlinked file (the whole pipe, as fast as it comes: not
   * for an xargs that must leave the rest of its input unread; only with these reports).
   * Returns what the run reads: source, or the pipe's copy.
   */
  InputStream arrange(RunConfig cfg, LoggedTasks logged, InputStream source, InputStream in,
      InputStream stdin, long startPosition) throws IOException {
    if (!cfg.progress().any()) {
      return source;
    }
    InputSpec spec = cfg.input();
    if (spec.sweep() != null) {
      if (spec.sweep().sources().stream().noneMatch(x -> x instanceof InputSpec.Stdin)) {
        start(cfg, logged, InputStream.nullInputStream());
      }
      return source;
    }
    if (spec.argFile() != null) {
      start(cfg, logged, Files.newInputStream(spec.argFile()));
      return source;
    }
    if (in != stdin || !(in instanceof FileInputStream f)) {
      return source;
    }
    Path fd0 = Path.of("/proc/self/fd/0");
    if (startPosition >= 0) {
      FileChannel again = FileChannel.open(fd0);
      again.position(startPosition);
      start(cfg, logged, Channels.newInputStream(again));
      return source;
    }
    String what = Files.isSymbolicLink(fd0) ? Files.readSymbolicLink(fd0).toString() : "";
    if (!what.startsWith("pipe:") && !what.startsWith("socket:")) {
      return source; // a terminal: typed as it goes, never ends by itself
    }
    ahead = FollowingInput.start(f.getChannel(), Spool.defaultParent(),
        whole -> start(cfg, logged, Channels.newInputStream(whole)));
    return ahead;
  }

  /** Stops counting and reading ahead. */
  void close() throws IOException {
    stopped = true;
    if (ahead != null) {
      ahead.close();
    }
  }

  /** Counts the commands of in on a daemon thread (in is closed at the end). */
  private void start(RunConfig cfg, LoggedTasks logged, InputStream in) {
    Thread t = new Thread(() -> count(cfg, logged, in), "jpack-input-count");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private void count(RunConfig cfg, LoggedTasks logged, InputStream in) {
    try (in) {
      CommandBuilder builder = new CommandBuilder(cfg.command(), cfg.grouping(),
          cfg.placeholders());
      ItemReader reader = new ItemReader(in, cfg.input(), cfg.grouping().linePerCommand(),
          builder.maxItemLength(), w -> { });
      long[] n = {0};
      InputFeed[] feed = new InputFeed[1];
      feed[0] = new InputFeed(cfg.resources(), cfg.policy(), logged, 1024, e -> {
        if (e instanceof Ready) {
          n[0]++;
          feed[0].started();
          feed[0].giveBack(true);
          if (stopped) {
            feed[0].stop();
          }
        } else if (e instanceof InputEnd end && end.error() == null && !stopped) {
          total = n[0];
        }
      }, Long.MAX_VALUE, () -> { });
      feed[0].run(reader, builder);
    } catch (CommandLineException | java.io.IOException | RuntimeException e) {
      // no total, then: the run itself says what is wrong with its input
    }
  }
}
