package jpack;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import jpack.cli.Cli;

/** The process entry point: the only place that calls System.exit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // With one CPU's worth of common pool, CompletableFuture starts a new thread for every async
    // step, and Process.onExit() takes one per task: keep a small shared pool instead.
    String parallelism = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(parallelism) == null) {
      System.setProperty(parallelism, "2");
    }
    int code = Cli.run(args, new FileInputStream(FileDescriptor.in),
        new FileOutputStream(FileDescriptor.out).getChannel(),
        new FileOutputStream(FileDescriptor.err).getChannel());
    System.exit(code);
  }
}
