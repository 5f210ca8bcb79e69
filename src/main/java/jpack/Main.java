package jpack;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import jpack.cli.Cli;

/** The process entry point: the only place that calls System.exit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = Cli.run(args, new FileInputStream(FileDescriptor.in),
        new FileOutputStream(FileDescriptor.out).getChannel(),
        new FileOutputStream(FileDescriptor.err).getChannel());
    System.exit(code);
  }
}
