package jpack.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jpack.config.Allocation;
import jpack.config.ExitStatus;
import jpack.site.AllocationProbe;

/** --report and --plan: read job logs, print, write; no task runs. */
public final class Reports {
  private Reports() {}

  /**
   * The report of logs (one a shard) on out, and as HTML into html when it is not null.
   *
   * @param cpusPerTask CPUs a slot stood for (the core-hours held)
   */
  public static int report(List<Path> logs, Path html, int cpusPerTask, WritableByteChannel out,
      Consumer<String> message) throws IOException {
    Report r = Report.of(logs, cpusPerTask);
    if (html != null) {
      Path tmp = html.resolveSibling(html.getFileName() + ".tmp");
      try {
        Files.writeString(tmp, HtmlReport.render(r), StandardCharsets.UTF_8);
        Files.move(tmp, html, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw new IOException("cannot write --report-html '" + html + "': " + e.getMessage(), e);
      }
    }
    write(out, r.text());
    return ExitStatus.OK.code();
  }

  /** The plan on out, or (with a script kind) the job script with the plan as its comments. */
  public static int plan(Plan.Request req, Map<String, String> env, WritableByteChannel out,
      Consumer<String> message) throws IOException {
    Plan.Measured m = null;
    if (req.from() != null) {
      Report r = Report.of(List.of(req.from()), req.cpusPerTask());
      LogHistogram rt = r.runtime();
      if (rt.count() == 0) {
        message.accept("jpack: --from '" + req.from() + "': the log has no task lines to plan"
            + " from");
        return ExitStatus.FAILURE.code();
      }
      LogHistogram rss = r.rss();
      m = new Plan.Measured(r.tasks(), rt.mean() / 1000, rt.quantile(0.95) / 1000,
          rt.max() / 1000.0, rss.count() == 0 ? 0 : (long) rss.quantile(0.95));
    }
    Plan.Node node = node(req, env);
    Plan p;
    try {
      p = new Plan(req, m, node);
    } catch (IllegalArgumentException e) {
      message.accept("jpack: " + e.getMessage());
      return ExitStatus.FAILURE.code();
    }
    write(out, req.script() == null ? p.text() : PlanScript.render(p, req.script(),
        req.runWords()));
    return ExitStatus.OK.code();
  }

  /** The node's shape: given, else this allocation's (its hard memory limit). */
  private static Plan.Node node(Plan.Request req, Map<String, String> env) {
    if (req.nodeCpus() > 0 && req.nodeMem() != 0) {
      return new Plan.Node(req.nodeCpus(), req.nodeMem(), "given");
    }
    Allocation a = AllocationProbe.probe(env);
    int cpus = req.nodeCpus() > 0 ? req.nodeCpus() : a.cpus();
    long mem = req.nodeMem() != 0 ? req.nodeMem() : a.limitBytes();
    String source = (req.nodeCpus() > 0 ? "CPUs given" : "CPUs: this allocation, " + a.cpuSource())
        + "; " + (req.nodeMem() != 0 ? "memory given" : "memory: this allocation, "
        + a.limitSource() + "; --node-cpus and --node-mem for another node");
    return new Plan.Node(cpus, mem, source);
  }

  private static void write(WritableByteChannel out, String text) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      out.write(b);
    }
  }
}
