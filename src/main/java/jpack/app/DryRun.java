package jpack.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jpack.app.Event.InputEnd;
import jpack.app.Event.Ready;
import jpack.command.Command;
import jpack.command.CommandBuilder;
import jpack.command.CommandLineException;
import jpack.command.ShellQuote;
import jpack.config.ExitStatus;
import jpack.config.RunConfig;
import jpack.input.ItemReader;

/**
 * --dry-run: the commands a run would start, shell-quoted (as -t quotes them), one per line on
 * stdout, in seq order; nothing runs, no job log or spool is made. The same input side as a run
 * ({@link InputFeed} on this thread), so -n, -L, -I, --placeholders, the sweeps and --shard give
 * exactly the run's commands; {#} is the task's seq, {%} stays (no task has a slot). A job log
 * is not read: with --resume it prints every command, done or not.
 */
public final class DryRun {
  private DryRun() {}

  /** Prints the commands; returns the exit status (1 for an error of the input). */
  public static int run(RunConfig cfg, InputStream stdin, WritableByteChannel out,
      Consumer<String> message) {
    CommandBuilder builder;
    InputStream in;
    try {
      builder = new CommandBuilder(cfg.command(), cfg.grouping(), cfg.placeholders());
    } catch (CommandLineException e) {
      message.accept("jpack: " + e.getMessage());
      return ExitStatus.FAILURE.code();
    }
    try {
      in = cfg.input().argFile() == null ? stdin : Files.newInputStream(cfg.input().argFile());
    } catch (IOException e) {
      message.accept("jpack: cannot open input file '" + cfg.input().argFile() + "': "
          + IoErrors.reason(e, cfg.input().argFile()));
      return ExitStatus.FAILURE.code();
    }
    ItemReader reader = new ItemReader(in, cfg.input(), cfg.grouping().linePerCommand(),
        builder.maxItemLength(), w -> message.accept("jpack: " + w));
    Printing printing = new Printing(out);
    InputFeed[] feed = new InputFeed[1];
    feed[0] = new InputFeed(cfg.resources(), cfg.policy(), null, 64, e -> {
      if (e instanceof Ready r) {
        feed[0].started();
        feed[0].giveBack(true);
        if (!printing.line(tag(cfg, r.command(), r.seq())
            + ShellQuote.join(argv(r.command(), r.seq())))) {
          feed[0].stop();
        }
      } else if (e instanceof InputEnd end) {
        printing.end = end;
      }
    }, Long.MAX_VALUE, () -> { });
    feed[0].run(reader, builder);
    try {
      if (in != stdin) {
        in.close();
      }
    } catch (IOException e) {
      // read to its end, or as far as needed
    }
    if (!printing.flush()) {
      return printing.closed ? ExitStatus.OUTPUT_CLOSED.code() : ExitStatus.FAILURE.code();
    }
    if (printing.end != null && printing.end.error() != null) {
      message.accept("jpack: " + printing.end.error());
      return ExitStatus.FAILURE.code();
    }
    return ExitStatus.OK.code();
  }

  /** --tag's or --tagstring's text and a TAB, as GNU parallel's --dry-run shows it; {%} stays. */
  private static String tag(RunConfig cfg, Command c, long seq) {
    if (!cfg.tag()) {
      return "";
    }
    return (cfg.tagString() == null ? c.tag()
        : c.expand(cfg.tagString().replace("{%}", "\0"), seq, 0).replace("\0", "{%}")) + "\t";
  }

  /** The command with {#} filled in; {%} (a slot) stays. */
  private static List<String> argv(Command c, long seq) {
    if (!c.late()) {
      return c.argv();
    }
    List<String> out = new ArrayList<>(c.argv().size());
    for (String a : c.argv()) {
      out.add(a.replace("{#}", Long.toString(seq)));
    }
    return out;
  }

  /** Lines to stdout through a buffer; a write error ends the printing. */
  private static final class Printing {
    private final WritableByteChannel out;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    InputEnd end;
    boolean failed;
    boolean closed;

    Printing(WritableByteChannel out) {
      this.out = out;
    }

    boolean line(String s) {
      byte[] b = (s + "\n").getBytes(StandardCharsets.ISO_8859_1);
      if (b.length > buf.remaining() && !flush()) {
        return false;
      }
      if (b.length > buf.capacity()) {
        return write(ByteBuffer.wrap(b));
      }
      buf.put(b);
      return true;
    }

    boolean flush() {
      buf.flip();
      boolean ok = write(buf);
      buf.clear();
      return ok;
    }

    private boolean write(ByteBuffer b) {
      if (failed) {
        return false;
      }
      try {
        while (b.hasRemaining()) {
          out.write(b);
        }
        return true;
      } catch (IOException e) {
        failed = true;
        closed = String.valueOf(e.getMessage()).contains("Broken pipe");
        return false;
      }
    }
  }
}
