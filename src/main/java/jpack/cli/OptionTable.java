package jpack.cli;

import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options as a plain table, for the common path: parsing this way skips building picocli's
 * model (reflection over annotations costs 130-170 ms of a start that should take under 100).
 * picocli stays the model for --help, errors with suggestions, the man page and the completion;
 * OptionTableTest checks that this table and the picocli model name the same options with the
 * same arity.
 */
final class OptionTable {
  /** One option: its names and whether it takes a value; {@link #set} puts the value. */
  record Entry(List<String> names, boolean takesValue) {
    String longName() {
      String best = names.get(0);
      for (String n : names) {
        if (n.length() > best.length()) {
          best = n;
        }
      }
      return best;
    }
  }

  static final List<Entry> ENTRIES = List.of(
      value(List.of("-a", "--arg-file")),
      value(List.of("--commands")),
      flag(List.of("-0", "--null")),
      value(List.of("-d", "--delimiter")),
      value(List.of("-E", "--eof")),
      value(List.of("-n", "--max-args")),
      value(List.of("-L", "--max-lines")),
      value(List.of("-I", "--replace")),
      value(List.of("-s", "--max-chars")),
      flag(List.of("-x", "--exit")),
      flag(List.of("--placeholders")),
      flag(List.of("--worker")),
      flag(List.of("-r", "--no-run-if-empty")),
      value(List.of("-P", "--max-procs")),
      value(List.of("--process-slot-var")),
      value(List.of("--cpus-per-task")),
      value(List.of("--mem-per-task")),
      value(List.of("--gpus-per-task")),
      value(List.of("--shard")),
      flag(List.of("--show-allocation")),
      value(List.of("--hostfile")),
      value(List.of("--hosts")),
      value(List.of("--launcher")),
      value(List.of("--env")),
      flag(List.of("-k", "--keep-order")),
      flag(List.of("--line-buffer")),
      flag(List.of("-u", "--ungroup")),
      flag(List.of("--tag")),
      flag(List.of("--bar")),
      flag(List.of("--progress")),
      value(List.of("--progress-interval")),
      value(List.of("--status")),
      flag(List.of("-t", "--verbose")),
      value(List.of("--joblog")),
      flag(List.of("--resume")),
      flag(List.of("--resume-failed")),
      flag(List.of("--force-resume")),
      flag(List.of("--fsync")),
      value(List.of("--retries")),
      value(List.of("--timeout")),
      value(List.of("--halt")),
      value(List.of("--term-grace")),
      value(List.of("--deadline")),
      flag(List.of("--summary")),
      flag(List.of("-p", "--interactive")),
      flag(List.of("-o", "--open-tty")),
      flag(List.of("--show-limits")),
      flag(List.of("--debug")),
      flag(List.of("--help")),
      flag(List.of("--version")),
      flag(List.of("--cds-training")));

  private static final Map<String, Entry> BY_NAME = new HashMap<>();

  static {
    for (Entry e : ENTRIES) {
      for (String n : e.names()) {
        BY_NAME.put(n, e);
      }
    }
  }

  private OptionTable() {}

  private static Entry value(List<String> names) {
    return new Entry(names, true);
  }

  private static Entry flag(List<String> names) {
    return new Entry(names, false);
  }

  /** Puts the value of the option (by its longest name) into c: a switch, not a lambda each
   *  (45 lambda classes would cost more start-up than they save). */
  static void set(JpackCommand c, String name, String v) {
    switch (name) {
      case "--arg-file" -> c.input.argFile = new File(v);
      case "--commands" -> c.input.commands = new File(v);
      case "--null" -> c.input.nul = true;
      case "--delimiter" -> c.input.delimiter = v;
      case "--eof" -> c.input.eof = v;
      case "--max-args" -> c.build.maxArgs = v;
      case "--max-lines" -> c.build.maxLines = v;
      case "--replace" -> c.build.replace = v;
      case "--max-chars" -> c.build.maxChars = v;
      case "--exit" -> c.build.exit = true;
      case "--placeholders" -> c.build.placeholders = true;
      case "--worker" -> c.build.worker = true;
      case "--no-run-if-empty" -> c.build.noRunIfEmpty = true;
      case "--max-procs" -> c.concurrency.maxProcs = v;
      case "--process-slot-var" -> c.concurrency.processSlotVar = v;
      case "--cpus-per-task" -> c.hpc.cpusPerTask = v;
      case "--mem-per-task" -> c.hpc.memPerTask = v;
      case "--gpus-per-task" -> c.hpc.gpusPerTask = v;
      case "--shard" -> c.hpc.shard = v;
      case "--show-allocation" -> c.hpc.showAllocation = true;
      case "--hostfile" -> c.hosts.hostfile = new File(v);
      case "--hosts" -> c.hosts.hosts = v;
      case "--launcher" -> c.hosts.launcher = v;
      case "--env" -> c.hosts.env.add(v);
      case "--keep-order" -> c.output.keepOrder = true;
      case "--line-buffer" -> c.output.lineBuffer = true;
      case "--ungroup" -> c.output.ungroup = true;
      case "--tag" -> c.output.tag = true;
      case "--bar" -> c.output.bar = true;
      case "--progress" -> c.output.progress = true;
      case "--progress-interval" -> c.output.progressInterval = v;
      case "--status" -> c.output.status = new File(v);
      case "--verbose" -> c.output.verbose = true;
      case "--joblog" -> c.restart.joblog = new File(v);
      case "--resume" -> c.restart.resume = true;
      case "--resume-failed" -> c.restart.resumeFailed = true;
      case "--force-resume" -> c.restart.forceResume = true;
      case "--fsync" -> c.restart.fsync = true;
      case "--retries" -> c.restart.retries = v;
      case "--timeout" -> c.restart.timeout = v;
      case "--halt" -> c.restart.halt = v;
      case "--term-grace" -> c.restart.termGrace = v;
      case "--deadline" -> c.restart.deadline = v;
      case "--summary" -> c.restart.summary = true;
      case "--interactive" -> c.other.interactive = true;
      case "--open-tty" -> c.other.openTty = true;
      case "--show-limits" -> c.other.showLimits = true;
      case "--debug" -> c.other.debug = true;
      case "--help" -> c.other.help = true;
      case "--version" -> c.other.version = true;
      case "--cds-training" -> c.other.cdsTraining = true;
      default -> throw new IllegalArgumentException("no option " + name);
    }
  }

  /** The option named name ("-a", "--arg-file"), or null. */
  static Entry find(String name) {
    return BY_NAME.get(name);
  }

  /**
   * Parses words in ArgvNormalizer's canonical form (--long=value, --flag, then the command) into
   * c. False when anything is not plainly valid: the caller lets picocli parse and explain.
   */
  static boolean parse(List<String> words, JpackCommand c) {
    int i = 0;
    for (; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("--")) {
        i++;
        break;
      }
      if (!w.startsWith("-") || w.equals("-")) {
        break;
      }
      if (!w.startsWith("--")) {
        return false;
      }
      int eq = w.indexOf('=');
      Entry e = find(eq < 0 ? w : w.substring(0, eq));
      if (e == null || e.takesValue() != (eq >= 0)) {
        return false;
      }
      set(c, e.longName(), eq < 0 ? null : w.substring(eq + 1));
    }
    c.command.addAll(words.subList(i, words.size()));
    return true;
  }
}
