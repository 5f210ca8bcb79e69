package jpack;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
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
    // The launcher put /dev/null on a closed stdin or stdout and says so (jpack.closed): reading
    // or writing there is the error it would have been, not an empty input or a silent loss.
    List<String> closed = List.of(System.getProperty("jpack.closed", "").split(","));
    InputStream in = closed.contains("stdin") ? new ClosedInput()
        : new FileInputStream(FileDescriptor.in);
    WritableByteChannel out = closed.contains("stdout") ? new ClosedOutput()
        : new FileOutputStream(FileDescriptor.out).getChannel();
    int code = Cli.run(args, in, out, new FileOutputStream(FileDescriptor.err).getChannel());
    System.exit(code);
  }

  /** A standard stream that was closed when jpack started: every use fails as a closed fd does. */
  private static final class ClosedInput extends InputStream {
    @Override
    public int read() throws IOException {
      throw new IOException("standard input is closed");
    }
  }

  private static final class ClosedOutput implements WritableByteChannel {
    @Override
    public int write(ByteBuffer src) throws IOException {
      throw new IOException("Bad file descriptor (it was closed when jpack started)");
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
