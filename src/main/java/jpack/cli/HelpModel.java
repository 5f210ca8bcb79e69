package jpack.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jpack.config.ExitStatus;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParseResult;

/**
 * picocli's model, built from {@link Opt}, {@link ExitStatus} and the examples, for what needs it:
 * --help, the errors with suggestions, the man page and the bash completion. Never built on the
 * plain start path (building it costs more than the rest of a start).
 */
final class HelpModel {
  static final String HEADER =
      "Run a command for every item of the input, many at once: xargs for job packing.";

  static final String DESCRIPTION = "Reads items from standard input (or -a FILE), blank- or"
      + " newline-separated as xargs does, and runs COMMAND (default: echo) with as many items"
      + " appended as fit, or one command per line with -L 1 / -I. Up to -P commands run at once"
      + " (default: the CPUs this process may use). Each task's output is printed as one block"
      + " when it ends (see Output).";

  static final String COMMAND_HELP = "The command and its initial arguments (default: echo);"
      + " with --placeholders, then GNU parallel's input sources (::: VALUES..., :::: FILE...).";

  /** The examples of --help: a command line, then what it does. */
  static final String[][] EXAMPLES = {
    {"jpack -a greetings.txt -L 1 -P 8 ./greet.sh",
        "20 greetings, 8 at a time, each task its own line"},
    {"find . -name '*.fits' -print0 | jpack -0 -n 1 ./reduce.sh",
        "one task per file, as many at once as there are CPUs"},
    {"jpack -a tasks.txt -I{} -k --tag ./task.sh --input {}",
        "one task per line, output in input order, each line tagged with its task"},
    {"jpack -a tasks.txt -L 1 --joblog run.tsv --resume ./task.sh",
        "restartable: run the same line again after a walltime kill to finish the rest"},
    {"jpack --shard auto/21 -a tasks.txt -L 1 --joblog log.{shard}.tsv ./task.sh",
        "in an array job (sbatch --array=1-21): element K runs part K of 21, also when it is"
            + " rerun alone (sbatch --array=K)"},
    {"srun --ntasks-per-node=1 jpack --shard auto -a tasks.txt -L 1 ./task.sh",
        "several Slurm nodes: one jpack per node, each on its share of the tasks"},
    {"jpack --hosts auto -a tasks.txt -L 1 ./task.sh",
        "one jpack spreading tasks over the job's nodes (PBS_NODEFILE) with ssh"},
  };

  private static final String SEE_ALSO = "seeAlso";

  private HelpModel() {}

  /** The whole command: the options by group, COMMAND, and the usage message's sections. */
  static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name("jpack");
    UsageMessageSpec u = spec.usageMessage();
    u.sortOptions(false)
        .headerHeading("")
        .header(format(HEADER))
        .synopsisHeading("%nUsage: ")
        .customSynopsis("jpack [OPTION]... [COMMAND [INITIAL-ARGS]...]")
        .descriptionHeading("%n")
        .description(format(DESCRIPTION))
        .footerHeading("%nExamples:%n")
        .exitCodeListHeading("%nExit status:%n");
    // Examples, then the exit statuses, then where to read more; each wrapped at the help's width
    // with its own hanging indent (picocli's footer would wrap them flush left).
    Map<String, CommandLine.IHelpSectionRenderer> sections = new LinkedHashMap<>(u.sectionMap());
    sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> examples(width(help)));
    sections.put(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST, help -> exitStatuses(width(help)));
    sections.put(SEE_ALSO, help -> "\nSee man jpack and README.md.\n");
    u.sectionMap(sections);
    List<String> keys = new ArrayList<>(u.sectionKeys());
    keys.remove(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING);
    keys.remove(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST);
    keys.add(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING);
    keys.add(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST);
    keys.add(SEE_ALSO);
    u.sectionKeys(keys);
    // picocli shows the exit-code heading only when the list is not empty
    u.exitCodeList(ExitStatus.documented());

    for (Opt.Group g : Opt.Group.values()) {
      ArgGroupSpec.Builder group = ArgGroupSpec.builder()
          .heading("%n" + g.heading + ":%n" + (g.intro == null ? ""
              : format(wrapped(g.intro, "  ", 80)).replace("\n", "%n") + "%n"))
          .validate(false)
          .order(g.ordinal() + 1);
      for (Opt o : Opt.values()) {
        if (o.group == g) {
          group.addArg(option(o));
        }
      }
      spec.addArgGroup(group.build());
    }
    spec.addPositional(PositionalParamSpec.builder()
        .paramLabel("COMMAND")
        .arity("0..*")
        .type(List.class)
        .auxiliaryTypes(String.class)
        .description(format(COMMAND_HELP))
        .build());
    return spec;
  }

  private static OptionSpec option(Opt o) {
    OptionSpec.Builder b = OptionSpec.builder(o.names()).hidden(o.hidden());
    if (o.help != null) {
      b.description(format(o.help));
    }
    // arity as picocli infers it from the type (so --tag=false parses, as it always did)
    if (!o.takesValue()) {
      b.type(boolean.class);
    } else {
      // a FILE is a java.io.File for picocli, so that the completion offers file names
      Class<?> type = o.label.equals("FILE") ? File.class : String.class;
      b.paramLabel(o.label);
      if (o.kind == Opt.Kind.LIST) {
        b.type(List.class).auxiliaryTypes(type);
      } else {
        b.type(type);
      }
    }
    if (o == Opt.HELP) {
      b.usageHelp(true);
    } else if (o == Opt.VERSION) {
      b.versionHelp(true);
    }
    return b.build();
  }

  /**
   * Parses what the fast path would not take, so that picocli explains it (throws its
   * ParameterException); should it parse, its result is taken as the fast path's would be.
   */
  static ParsedArgs parse(CommandLine cl, List<String> words) {
    ParseResult r = cl.parseArgs(words.toArray(new String[0]));
    ParsedArgs a = new ParsedArgs();
    for (Opt o : Opt.values()) {
      OptionSpec spec = cl.getCommandSpec().findOption(o.longName);
      if (!r.hasMatchedOption(spec)) {
        continue;
      }
      if (!o.takesValue()) {
        if (Boolean.TRUE.equals(r.matchedOptionValue(o.longName, Boolean.FALSE))) {
          a.put(o, null);
        }
      } else {
        for (String v : r.matchedOption(o.longName).originalStringValues()) {
          a.put(o, v);
        }
      }
    }
    for (PositionalParamSpec p : r.matchedPositionals()) {
      a.command().addAll(p.originalStringValues());
    }
    return a;
  }

  /** Plain text as a picocli format string. */
  static String format(String plain) {
    return plain.replace("%", "%%");
  }

  private static int width(CommandLine.Help help) {
    return help.commandSpec().usageMessage().width();
  }

  static String examples(int width) {
    StringBuilder s = new StringBuilder();
    for (String[] e : EXAMPLES) {
      s.append("  ").append(e[0]).append('\n');
      wrap(s, e[1], "      ", width);
    }
    return s.toString();
  }

  /** The exit statuses as a two-column list: the code, then its meaning wrapped under itself. */
  static String exitStatuses(int width) {
    StringBuilder s = new StringBuilder();
    String indent = " ".repeat(9);
    for (Map.Entry<String, String> e : ExitStatus.documented().entrySet()) {
      StringBuilder meaning = new StringBuilder();
      wrap(meaning, e.getValue(), indent, width);
      // the code in the first line's indent: "  128+N  jpack was stopped..."
      s.append(String.format("  %-7s", e.getKey())).append(meaning, indent.length(),
          meaning.length());
    }
    return s.toString();
  }

  /** text wrapped at width, each line indented, without the last newline. */
  static String wrapped(String text, String indent, int width) {
    StringBuilder s = new StringBuilder();
    wrap(s, text, indent, width);
    return s.substring(0, s.length() - 1);
  }

  /** Appends text's words as lines of at most width, each starting with indent. */
  static void wrap(StringBuilder s, String text, String indent, int width) {
    int lineStart = s.length();
    s.append(indent);
    boolean first = true;
    for (String w : text.split(" ")) {
      if (!first && s.length() - lineStart + 1 + w.length() > width) {
        s.append('\n');
        lineStart = s.length();
        s.append(indent);
        first = true;
      }
      if (!first) {
        s.append(' ');
      }
      s.append(w);
      first = false;
    }
    s.append('\n');
  }
}
