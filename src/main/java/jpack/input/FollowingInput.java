package jpack.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * A pipe read ahead into a file (so that its total can be counted once its producer has
 * finished, with memory flat): a thread copies the pipe to an unlinked file as fast as it comes;
 * the run reads the file, waiting where it caught up with the copy; when the pipe ends, the
 * whole file is handed to onComplete (a channel of its own, from the start) to count.
 */
public final class FollowingInput extends InputStream {
  private final FileChannel read;
  private final Thread copier;
  private long written;
  private boolean done;
  private IOException failure;

  private FollowingInput(FileChannel read, Thread copier) {
    this.read = read;
    this.copier = copier;
  }

  /**
   * Starts copying pipe into a new file in dir (unlinked at once: nothing is left behind).
   * onComplete gets a channel over the whole copy when the pipe ended (not when it failed).
   */
  public static FollowingInput start(ReadableByteChannel pipe, Path dir,
      Consumer<FileChannel> onComplete) throws IOException {
    Path f = Files.createTempFile(dir, "jpack-input-", ".tmp");
    FileChannel write;
    FileChannel read;
    FileChannel whole;
    try {
      write = FileChannel.open(f, StandardOpenOption.WRITE);
      read = FileChannel.open(f, StandardOpenOption.READ);
      whole = FileChannel.open(f, StandardOpenOption.READ);
    } finally {
      Files.deleteIfExists(f);
    }
    FollowingInput[] self = new FollowingInput[1];
    Thread copier = new Thread(() -> self[0].copy(pipe, write, whole, onComplete),
        "jpack-input-ahead");
    copier.setDaemon(true);
    self[0] = new FollowingInput(read, copier);
    copier.start();
    return self[0];
  }

  private void copy(ReadableByteChannel pipe, FileChannel write, FileChannel whole,
      Consumer<FileChannel> onComplete) {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    IOException error = null;
    try (write) {
      while (pipe.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          write.write(buf);
        }
        buf.clear();
        synchronized (this) {
          written = write.position();
          notifyAll();
        }
      }
    } catch (IOException e) {
      error = e;
    }
    synchronized (this) {
      done = true;
      failure = error;
      notifyAll();
    }
    if (error == null) {
      onComplete.accept(whole);
    } else {
      try {
        whole.close();
      } catch (IOException ignored) {
        // nothing to count
      }
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    synchronized (this) {
      while (read.position() >= written && !done) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.nio.channels.ClosedByInterruptException();
        }
      }
      if (read.position() >= written && failure != null) {
        throw failure;
      }
      if (read.position() >= written) {
        return -1;
      }
    }
    return read.read(ByteBuffer.wrap(b, off, len));
  }

  @Override
  public void close() throws IOException {
    copier.interrupt();
    read.close();
  }
}
