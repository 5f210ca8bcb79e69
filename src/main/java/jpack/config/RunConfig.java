package jpack.config;

import java.util.List;

/**
 * Everything one run needs, fixed before anything starts.
 *
 * @param command the command template (never empty: echo when none was given)
 * @param input where items come from and how they are split
 * @param grouping how items become command lines
 * @param procs tasks at once as asked (-P N, -P 0, or from the allocation)
 * @param processSlotVar --process-slot-var name, or null
 * @param verbose -t: print each command line on stderr before it runs
 * @param interactive -p: ask on the terminal before each command
 * @param openTty -o: children read the terminal instead of /dev/null
 * @param output the output mode
 * @param keepOrder -k: task outputs in input order
 * @param tag --tag: prefix each output line with the task's arguments and a TAB
 * @param policy job log, resume, retries, timeouts, halting, signals, deadline
 * @param resources what each task needs (CPUs, memory, GPUs) and the job-array shard
 * @param progress progress reports (--bar, --progress, --status)
 * @param placeholders expand GNU parallel's replacement strings ({} {.} {/} {//} {/.} {#} {%})
 * @param worker --worker: the command is a worker that stays running and takes one task per
 *     line on its stdin
 * @param hosts the other hosts tasks run on and the launcher, or null to run here only
 * @param debug --debug: stack traces on internal errors
 * @param tagString --tagstring's template (placeholders on the task's values), or null
 * @param workDir --wd's template: each task's working directory, or null for jpack's
 * @param delay --delay: the least time between two starts, or null
 * @param results --results: where the tasks' output is saved instead of printed, or null
 */
public record RunConfig(
    List<String> command,
    InputSpec input,
    Grouping grouping,
    Concurrency procs,
    String processSlotVar,
    boolean verbose,
    boolean interactive,
    boolean openTty,
    OutputMode output,
    boolean keepOrder,
    boolean tag,
    Policy policy,
    Resources resources,
    Progress progress,
    boolean placeholders,
    boolean worker,
    Hosts hosts,
    boolean debug,
    String tagString,
    String workDir,
    java.time.Duration delay,
    Results results) {

  public RunConfig {
    command = List.copyOf(command);
  }
}
