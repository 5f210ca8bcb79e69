package jpack.cli;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import jpack.config.Concurrency;
import jpack.config.Grouping;
import jpack.config.Halt;
import jpack.config.Hosts;
import jpack.config.OutputMode;
import jpack.config.Policy;
import jpack.config.Progress;
import jpack.config.Resources;
import jpack.config.RunConfig;
import jpack.config.SystemLimits;

/**
 * Turns the parsed options into a {@link RunConfig}: every value check and every rule that involves
 * several options lives here, with GNU xargs' wording for the options xargs has. It reads
 * {@link ParsedArgs} and never changes it.
 */
final class ConfigFactory {
  private ConfigFactory() {}

  static RunConfig build(ParsedArgs a, ArgvNormalizer.Family winner, SystemLimits limits,
      Map<String, String> env, Consumer<String> warn) throws UsageException {
    long maxArgs = 0;
    long maxLines = 0;
    String replace = null;
    if (winner == ArgvNormalizer.Family.MAX_ARGS) {
      maxArgs = count(a.get(Opt.MAX_ARGS), "-n", 1, Long.MAX_VALUE);
    } else if (winner == ArgvNormalizer.Family.MAX_LINES) {
      maxLines = count(a.get(Opt.MAX_LINES), "-L", 1, Long.MAX_VALUE);
    } else if (winner == ArgvNormalizer.Family.REPLACE) {
      replace = a.get(Opt.REPLACE);
    }

    boolean worker = a.has(Opt.WORKER);
    long maxChars = limits.defaultMaxChars();
    String maxCharsArg = a.get(Opt.MAX_CHARS);
    if (maxCharsArg != null) {
      maxChars = count(maxCharsArg, "-s", 1, Long.MAX_VALUE);
      if (maxChars > limits.posixUpper()) {
        warn.accept("warning: value " + maxCharsArg + " for -s option should be <= "
            + limits.posixUpper());
        maxChars = limits.posixUpper();
      }
      maxChars = Math.min(maxChars, limits.usable());
    }
    if (worker) {
      maxChars = Long.MAX_VALUE / 4; // a worker's line goes down a pipe, not on a command line
    }
    boolean placeholders = a.has(Opt.PLACEHOLDERS);
    boolean exitIfSizeExceeded = a.has(Opt.EXIT) || maxLines > 0 || replace != null
        || placeholders;

    if (worker) {
      worker(a, winner, a.has(Opt.NUL) || a.get(Opt.DELIMITER) != null);
    }
    InputConfig.Input input = InputConfig.build(a, winner, worker, placeholders || worker, env,
        warn);
    placeholders = input.placeholders();
    if (placeholders) {
      maxArgs = 0;
      maxLines = 0;
    }
    Concurrency procs = a.get(Opt.MAX_PROCS) == null ? Concurrency.FROM_ALLOCATION
        : Concurrency.of(count(a.get(Opt.MAX_PROCS), "-P", 0, Integer.MAX_VALUE));
    String slotVar = a.get(Opt.PROCESS_SLOT_VAR);
    if (slotVar != null && (slotVar.isEmpty() || slotVar.contains("="))) {
      throw new UsageException("invalid --process-slot-var name '" + slotVar + "'");
    }

    boolean lineBuffer = a.has(Opt.LINE_BUFFER);
    OutputMode mode = OutputMode.GROUP;
    if (lineBuffer) {
      mode = OutputMode.LINE;
    } else if (a.has(Opt.UNGROUP)) {
      mode = a.has(Opt.TAG) || a.get(Opt.TAGSTRING) != null ? OutputMode.LINE
          : OutputMode.UNGROUP;
    }
    // Without -P, jpack uses every CPU but keeps what xargs' one-at-a-time run would show: output in
    // input order, and a first task that runs alone for a moment, so a command that fails at once
    // (not found, exit 255, a crash) fails once, not on every core.
    boolean defaultProcs = a.get(Opt.MAX_PROCS) == null;
    if (lineBuffer && a.has(Opt.KEEP_ORDER)) {
      throw new UsageException("--line-buffer and -k cannot be used together: -k prints each"
          + " task's output whole, in input order; --line-buffer prints lines as they come");
    }
    // --line-buffer asks for lines as they come: the implicit order of a run without -P yields
    boolean keepOrder = (a.has(Opt.KEEP_ORDER) || defaultProcs && !lineBuffer)
        && mode != OutputMode.UNGROUP;
    if (keepOrder) {
      mode = OutputMode.GROUP; // ordered output needs whole blocks
    }

    Resources resources = resources(a, defaultProcs, env, warn);
    Hosts hosts = HostsConfig.hosts(a, resources);
    if (hosts != null && (resources.memPerTask() > 0 || resources.memAuto()
        || resources.gpusPerTask() > 0)) {
      throw new UsageException((resources.gpusPerTask() == 0 ? "--mem-per-task" : "--gpus-per-task")
          + " cannot be used with --hosts or --hostfile (jpack sees only this node's memory and"
          + " GPUs): give each host its slots (host:N)");
    }
    Policy policy = policy(a, resources);
    Progress progress = progress(a, resources);

    boolean interactive = a.has(Opt.INTERACTIVE);
    Grouping.Substitution substitution = placeholders ? Grouping.PARALLEL
        : replace != null ? new Grouping.Replace(replace) : Grouping.APPEND;
    return new RunConfig(
        input.command(),
        input.spec(),
        new Grouping(maxArgs, maxLines, substitution, maxChars, exitIfSizeExceeded,
            a.has(Opt.NO_RUN_IF_EMPTY)),
        procs,
        slotVar,
        a.has(Opt.VERBOSE) || interactive,
        interactive,
        a.has(Opt.OPEN_TTY),
        mode,
        keepOrder,
        a.has(Opt.TAG) || a.get(Opt.TAGSTRING) != null,
        policy,
        resources,
        progress,
        placeholders,
        worker,
        hosts,
        a.has(Opt.DEBUG),
        a.get(Opt.TAGSTRING),
        workDir(a),
        a.get(Opt.DELAY) == null ? null : Durations.parse(a.get(Opt.DELAY), "--delay"),
        results(a, mode));
  }

  /** --wd: a template (placeholders allowed); GNU parallel's ... (a temporary dir) is not. */
  private static String workDir(ParsedArgs a) throws UsageException {
    String wd = a.get(Opt.WORKDIR);
    if (wd == null) {
      return null;
    }
    if (wd.isEmpty() || wd.equals("...")) {
      throw new UsageException("invalid --wd '" + wd + "': give a directory (GNU parallel's"
          + " --wd ... is not supported)");
    }
    if (a.has(Opt.WORKER)) {
      throw new UsageException("--wd cannot be used with --worker (a worker serves many tasks"
          + " in one directory)");
    }
    return wd;
  }

  /** --results: a table (.tsv .csv .json) or a directory; output must be whole for either. */
  private static jpack.config.Results results(ParsedArgs a, OutputMode mode)
      throws UsageException {
    String r = a.get(Opt.RESULTS);
    if (r == null) {
      return null;
    }
    if (r.isEmpty()) {
      throw new UsageException("invalid --results '': give a directory or a .tsv, .csv or"
          + " .json file");
    }
    if (mode != OutputMode.GROUP) {
      throw new UsageException("--results cannot be used with -u or --line-buffer (it saves"
          + " each task's output whole)");
    }
    if (r.contains("{")) {
      jpack.config.Results res = jpack.config.Results.of(r);
      if (!res.kind().table()) {
        throw new UsageException("--results '" + r + "': placeholders in the directory are not"
            + " supported (jpack makes GNU parallel's DIR/1/VALUE/... tree)");
      }
    }
    return jpack.config.Results.of(r);
  }

  /** What --worker cannot be used with: all of it needs a task per line, output whole. */
  private static void worker(ParsedArgs a, ArgvNormalizer.Family winner, boolean delimited)
      throws UsageException {
    String clash = winner != null ? "-n, -L and -I" : delimited ? "-0 and -d"
        : a.has(Opt.UNGROUP) || a.has(Opt.LINE_BUFFER) ? "-u and --line-buffer"
        : "0".equals(a.get(Opt.MAX_PROCS)) ? "-P 0"
        : a.has(Opt.HOSTS) || a.has(Opt.HOSTFILE) ? "--hosts and --hostfile"
        : a.has(Opt.OPEN_TTY) ? "-o" : null;
    if (clash != null) {
      throw new UsageException("--worker (a task per input line, its output whole) cannot be"
          + " used with " + clash);
    }
  }

  static Resources resources(ParsedArgs a, boolean defaultProcs,
      Map<String, String> env, Consumer<String> warn) throws UsageException {
    String cpusPerTask = a.get(Opt.CPUS_PER_TASK);
    String memPerTask = a.get(Opt.MEM_PER_TASK);
    String gpusPerTask = a.get(Opt.GPUS_PER_TASK);
    int cpus = cpusPerTask == null ? 1 : (int) count(cpusPerTask, "--cpus-per-task", 1, 1 << 20);
    boolean memAuto = "auto".equals(memPerTask);
    long mem = memPerTask == null || memAuto ? 0 : size(memPerTask, "--mem-per-task");
    int gpus = gpusPerTask == null ? 0 : (int) count(gpusPerTask, "--gpus-per-task", 1, 1 << 16);
    long shard = 0;
    long shards = 0;
    if (a.get(Opt.SHARD) != null) {
      long[] ks = Shards.parse(a.get(Opt.SHARD), env, warn);
      shard = ks[0];
      shards = ks[1];
    } else if (Shards.unsharded(env) != null) {
      warn.accept(Shards.unsharded(env));
    }
    return new Resources(defaultProcs, cpus, mem, gpus, shard, shards, memAuto);
  }

  /** A FILE option's path, with {shard} replaced by this run's part (0 without --shard). */
  static Path shardPath(String file, Resources res) {
    return file == null ? null
        : Path.of(file.replace("{shard}", String.valueOf(res.shard())));
  }

  static Progress progress(ParsedArgs a, Resources res) throws UsageException {
    String every = a.get(Opt.PROGRESS_INTERVAL);
    Duration interval = every == null ? Duration.ofSeconds(60)
        : Durations.parse(every, "--progress-interval");
    if (interval.isZero()) {
      throw new UsageException("invalid --progress-interval '" + every + "': it must be above 0");
    }
    return new Progress(a.has(Opt.BAR), a.has(Opt.PROGRESS), interval,
        shardPath(a.get(Opt.STATUS), res));
  }

  /** A size: bytes, or with K, M, G, T (powers of 1024; a trailing B or iB is allowed). */
  static long size(String spec, String option) throws UsageException {
    String s = spec.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
    long unit = 1;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'K': unit = 1L << 10; break;
        case 'M': unit = 1L << 20; break;
        case 'G': unit = 1L << 30; break;
        case 'T': unit = 1L << 40; break;
        default: break;
      }
    }
    String number = unit == 1 ? s : s.substring(0, s.length() - 1);
    try {
      double v = Double.parseDouble(number);
      if (v > 0) {
        return (long) (v * unit);
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new UsageException("invalid " + option + " '" + spec + "': use a size such as 10G or"
        + " 512M");
  }

  static Policy policy(ParsedArgs a, Resources res) throws UsageException {
    Path joblog = shardPath(a.get(Opt.JOBLOG), res);
    Policy.Resume resume = a.has(Opt.RESUME_FAILED) ? Policy.Resume.RESUME_FAILED
        : a.has(Opt.RESUME) ? Policy.Resume.RESUME : Policy.Resume.NONE;
    if (resume != Policy.Resume.NONE && joblog == null) {
      throw new UsageException("--resume and --resume-failed need --joblog FILE");
    }
    String retriesArg = a.get(Opt.RETRIES);
    int retries = retriesArg == null ? 0 : (int) count(retriesArg, "--retries", 0, 1_000_000);
    Duration timeout = null;
    double timeoutPercent = 0;
    String timeoutArg = a.get(Opt.TIMEOUT);
    if (timeoutArg != null) {
      String t = timeoutArg.trim();
      if (t.endsWith("%")) {
        try {
          timeoutPercent = Double.parseDouble(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
          timeoutPercent = -1;
        }
        if (!(timeoutPercent > 0)) {
          throw new UsageException("invalid --timeout '" + timeoutArg + "': a percentage must be"
              + " above 0");
        }
      } else {
        timeout = Durations.parse(t, "--timeout");
      }
    }
    String graceArg = a.get(Opt.TERM_GRACE);
    Duration grace = graceArg == null ? Duration.ofSeconds(5)
        : Durations.parse(graceArg, "--term-grace");
    Instant deadline = null;
    boolean auto = true;
    String deadlineArg = a.get(Opt.DEADLINE);
    if (deadlineArg != null) {
      if (deadlineArg.trim().equals("none")) {
        auto = false;
      } else {
        Instant now = Instant.now();
        deadline = Durations.deadline(deadlineArg, now, ZoneId.systemDefault());
        if (!deadline.isAfter(now)) {
          throw new UsageException("--deadline '" + deadlineArg + "' is in the past ("
              + deadline + ")");
        }
      }
    }
    Halt halt = a.get(Opt.HALT) == null ? Halt.DEFAULT : halt(a.get(Opt.HALT));
    return new Policy(joblog, resume, a.has(Opt.FORCE_RESUME), a.has(Opt.FSYNC), retries, timeout,
        timeoutPercent, halt, grace, deadline, auto, a.has(Opt.SUMMARY),
        a.get(Opt.STALL_AFTER) == null ? null
            : Durations.parse(a.get(Opt.STALL_AFTER), "--stall-after"));
  }

  /** GNU parallel's --halt: never, WHEN,WHAT=N[%], or the legacy 0, 1, 2. */
  static Halt halt(String spec) throws UsageException {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "never":
      case "0":
        return new Halt(Halt.When.NEVER, Halt.What.FAIL, 0, false);
      case "1":
        return new Halt(Halt.When.SOON, Halt.What.FAIL, 1, false);
      case "2":
        return new Halt(Halt.When.NOW, Halt.What.FAIL, 1, false);
      default:
        break;
    }
    String[] parts = s.split(",", 2);
    String bad = "invalid --halt '" + spec + "': use never, soon,fail=N, now,fail=N%, "
        + "now,success=N or soon,done=N";
    if (parts.length != 2 || !(parts[0].equals("soon") || parts[0].equals("now"))) {
      throw new UsageException(bad);
    }
    String[] kv = parts[1].split("=", 2);
    if (kv.length != 2) {
      throw new UsageException(bad);
    }
    Halt.What what = switch (kv[0]) {
      case "fail" -> Halt.What.FAIL;
      case "success" -> Halt.What.SUCCESS;
      case "done" -> Halt.What.DONE;
      default -> throw new UsageException(bad);
    };
    boolean percent = kv[1].endsWith("%");
    double n;
    try {
      n = Double.parseDouble(percent ? kv[1].substring(0, kv[1].length() - 1) : kv[1]);
    } catch (NumberFormatException e) {
      throw new UsageException(bad);
    }
    if (!(n > 0) || (percent && n > 100)) {
      throw new UsageException(bad);
    }
    return new Halt(parts[0].equals("now") ? Halt.When.NOW : Halt.When.SOON, what, n, percent);
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
}
