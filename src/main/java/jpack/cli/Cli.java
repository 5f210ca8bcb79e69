package jpack.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jpack.app.DryRun;
import jpack.app.Runner;
import jpack.config.ExitStatus;
import jpack.config.RunConfig;
import jpack.config.SystemLimits;
import jpack.report.Reports;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The entry chain that tests share with {@code Main}: parse, check, run, map to an exit code. */
public final class Cli {
  private Cli() {}

  /**
   * The one factory for the configured CommandLine, built from {@link Opt} (help, errors with
   * suggestions, man page and completion all use it; the plain start path never does).
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(HelpModel.spec());
    cl.setStopAtPositional(true);
    cl.setExpandAtFiles(false);
    cl.setCaseInsensitiveEnumValuesAllowed(false);
    cl.setUsageHelpLongOptionsMaxWidth(26);
    cl.setUsageHelpWidth(helpWidth(System.getenv("COLUMNS")));
    return cl;
  }

  /** The terminal's width as the shell says ($COLUMNS), 80 without it, within 60..160. */
  static int helpWidth(String columns) {
    try {
      return Math.max(60, Math.min(160, Integer.parseInt(columns.trim())));
    } catch (RuntimeException e) {
      return 80;
    }
  }

  /**
   * The run's config for a command line as jpack would take it (without help, version or the
   * tty checks): for tests that drive the run's parts without a process.
   */
  public static RunConfig config(List<String> args, java.util.Map<String, String> env,
      java.util.function.Consumer<String> warn) {
    try {
      ArgvNormalizer normalizer = new ArgvNormalizer(warn);
      ParsedArgs cmd = ParsedArgs.parse(normalizer.normalize(args));
      if (cmd == null) {
        throw new IllegalArgumentException("not taken by the option table: " + args);
      }
      return ConfigFactory.build(cmd, normalizer.winner(), Runner.limits(), env, warn);
    } catch (ArgvNormalizer.UnknownOption | UsageException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public static int run(
      String[] args, InputStream stdin, WritableByteChannel out, WritableByteChannel err) {
    Messages printer = new Messages(err);
    // --debug counts as jpack's own option only: parsed, not found anywhere in argv (a task's
    // argument --debug is the task's)
    boolean[] debug = {false};
    Thread.setDefaultUncaughtExceptionHandler((th, e) -> {
      printer.message("jpack: internal error in " + th.getName() + ": " + describe(e));
      if (debug[0]) {
        printer.message(trace(e));
      }
    });
    try {
      ArgvNormalizer normalizer = new ArgvNormalizer(w -> printer.message("jpack: " + w));
      List<String> words = normalizer.normalize(RawArgs.of(args));
      // The common path parses with the plain table; picocli (and its 130+ ms model) is built
      // only for help, and to explain what the table would not take.
      ParsedArgs cmd = ParsedArgs.parse(words);
      if (cmd == null || cmd.has(Opt.HELP)) {
        CommandLine cl = commandLine();
        cmd = HelpModel.parse(cl, words);
        if (cmd.has(Opt.HELP)) {
          write(out, cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
          return 0;
        }
      }
      if (cmd.has(Opt.VERSION)) {
        write(out, version());
        return 0;
      }
      debug[0] = cmd.has(Opt.DEBUG);
      if (cmd.has(Opt.CDS_TRAINING)) {
        return train();
      }
      if (ReportConfig.reportOrPlan(cmd)) {
        return cmd.has(Opt.PLAN)
            ? Reports.plan(ReportConfig.plan(cmd, normalizer.winner()), System.getenv(), out,
                printer::message)
            : Reports.report(ReportConfig.reportLogs(cmd), cmd.get(Opt.REPORT_HTML) == null
                ? null : java.nio.file.Path.of(cmd.get(Opt.REPORT_HTML)),
                ReportConfig.cpusPerTask(cmd), out, printer::message);
      }
      SystemLimits limits = Runner.limits();
      RunConfig cfg = ConfigFactory.build(cmd, normalizer.winner(), limits, System.getenv(),
          w -> printer.message("jpack: " + w));
      if (cmd.has(Opt.SHOW_LIMITS)) {
        showLimits(printer, limits, cfg.grouping().maxChars());
      }
      if (cmd.has(Opt.DRY_RUN)) {
        return DryRun.run(cfg, stdin, out, printer::message);
      }
      Runner runner = new Runner(cfg, stdin, out, err);
      if (cmd.has(Opt.SHOW_ALLOCATION)) {
        printer.message(runner.describeAllocation());
      }
      return runner.run();
    } catch (ArgvNormalizer.UnknownOption | UsageException e) {
      return usage(printer, e.getMessage());
    } catch (ParameterException e) {
      String msg = e.getMessage();
      if (msg.startsWith("Unknown option: ")) {
        msg = "unrecognized option " + msg.substring("Unknown option: ".length());
      }
      List<String> suggestions = e instanceof CommandLine.UnmatchedArgumentException u
          ? u.getSuggestions() : List.of();
      if (!suggestions.isEmpty()) {
        msg += " (did you mean " + String.join(" or ", suggestions) + "?)";
      }
      return usage(printer, msg);
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      printer.message("jpack: " + describe(e));
      if (debug[0]) {
        printer.message(trace(e));
      }
      return ExitStatus.FAILURE.code();
    }
  }

  /** One line for an error that reached the top. */
  private static String describe(Throwable e) {
    if (e instanceof OutOfMemoryError) {
      return "out of memory: the Java heap (" + (Runtime.getRuntime().maxMemory() >> 20)
          + " MB) is full (" + e.getMessage() + "); give jpack more with"
          + " JPACK_JAVA_OPTS=-Xmx..., or the job more memory";
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private static String trace(Throwable e) {
    StringWriter sw = new StringWriter();
    e.printStackTrace(new PrintWriter(sw));
    return sw.toString();
  }

  private static int usage(Messages printer, String message) {
    printer.message("jpack: " + message);
    printer.message("Try 'jpack --help' for more information.");
    return ExitStatus.FAILURE.code();
  }

  static String version() {
    String v = Cli.class.getPackage().getImplementationVersion();
    return "jpack " + (v == null ? "(development build)" : v) + "\n"
        + "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")\n";
  }

  private static void showLimits(Messages printer, SystemLimits limits, long maxChars) {
    printer.message("Your environment variables take up " + limits.envBytes() + " bytes");
    printer.message("POSIX upper limit on argument length (this system): " + limits.posixUpper());
    printer.message("POSIX smallest allowable upper limit on argument length (all systems): 4096");
    printer.message("Maximum length of command we could actually use: " + limits.usable());
    printer.message("Size of command buffer we are actually using: " + maxChars);
    printer.message("Maximum parallelism (--max-procs must be no greater): " + Integer.MAX_VALUE);
  }

  private static void write(WritableByteChannel ch, String text) {
    try {
      Channels.newOutputStream(ch).write(text.getBytes(StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      // nowhere to report it
    }
  }

  /**
   * A short representative run whose loaded classes the launcher stores in a class-data-sharing
   * archive, so later starts skip loading and verifying them.
   */
  private static int train() {
    WritableByteChannel sink = Channels.newChannel(java.io.OutputStream.nullOutputStream());
    String[][] runs = {
      {"-P", "2", "-n", "1", "true"},
      {"-k", "--tag", "-L", "1", "echo"},
      {"--line-buffer", "-I{}", "echo", "{}"},
      {"-0", "-t", "true"},
    };
    for (String[] r : runs) {
      run(r, new ByteArrayInputStream("a b\nc 'd e'\n".getBytes(StandardCharsets.ISO_8859_1)),
          sink, sink);
    }
    // enough tasks to start jpack-spawn and queue tasks in it
    run(new String[] {"-k", "-P", "2", "-n", "1", "true"}, new ByteArrayInputStream(
        "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20\n".repeat(2)
            .getBytes(StandardCharsets.ISO_8859_1)), sink, sink);
    return 0;
  }
}
