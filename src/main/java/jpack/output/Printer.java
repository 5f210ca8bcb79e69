package jpack.output;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

/**
 * Writes task output and jpack's own messages to jpack's stdout and stderr channels. Whole blocks
 * go out with {@code transferTo} (zero copy where the kernel can); with a tag every line gets its
 * prefix. Writes to stdout that fail mean the reader is gone: {@link OutputClosedException}.
 * Thread-safe: line pumps share it.
 */
public final class Printer {
  private final WritableByteChannel out;
  private final WritableByteChannel err;

  public Printer(WritableByteChannel out, WritableByteChannel err) {
    this.out = out;
    this.err = err;
  }

  /** Prints a spooled block: its stdout, then its stderr, each with the tag when one is given. */
  public synchronized void block(Spool.Block block, String tag) throws IOException {
    copy(block.out(), out, tag, true);
    copy(block.err(), err, tag, false);
  }

  /** One whole line (or the last unterminated piece) from a line pump. */
  public synchronized void line(boolean toStdout, byte[] prefix, byte[] data, int off, int len)
      throws IOException {
    WritableByteChannel ch = toStdout ? out : err;
    try {
      if (prefix != null) {
        writeFully(ch, ByteBuffer.wrap(prefix));
      }
      writeFully(ch, ByteBuffer.wrap(data, off, len));
    } catch (IOException e) {
      throw toStdout && OutputClosedException.isBrokenPipe(e) ? new OutputClosedException(e)
          : new IOException("cannot write to standard " + (toStdout ? "output" : "error") + ": "
              + e.getMessage(), e);
    }
  }

  /** A message of jpack's own on stderr (a -t trace, a warning, an error); never throws. */
  public synchronized void message(String text) {
    try {
      writeFully(err, ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.ISO_8859_1)));
    } catch (IOException ignored) {
      // stderr is gone too: nothing left to tell anyone
    }
  }

  /** The -p question, without a newline: the answer is typed after it. */
  public synchronized void prompt(String text) {
    try {
      writeFully(err, ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    } catch (IOException ignored) {
      // stderr is gone: the question cannot be asked, the answer will be read as "no"
    }
  }

  /** A part's bytes to ch as they are (--results' files and tables). */
  static void copyPart(Spool.Part part, WritableByteChannel ch) throws IOException {
    if (part == null || part.size() == 0) {
      return;
    }
    try {
      if (part.data() != null) {
        writeFully(ch, ByteBuffer.wrap(part.data()));
      } else if (part.channel() != null) {
        send(part.channel(), part.from(), part.to(), ch, null);
      } else {
        try (FileChannel in = FileChannel.open(part.file(), StandardOpenOption.READ)) {
          send(in, part.from(), part.to(), ch, null);
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // the task never opened its spool (it could not start): nothing to save
    }
  }

  private static void copy(Spool.Part part, WritableByteChannel ch, String tag,
      boolean isStdout) throws IOException {
    if (part == null || part.size() == 0) {
      return; // most tasks leave one stream empty: nothing to open or write
    }
    try {
      if (part.data() != null) {
        if (tag == null) {
          writeFully(ch, ByteBuffer.wrap(part.data()));
        } else {
          copyTagged(Channels.newChannel(new ByteArrayInputStream(part.data())),
              part.data().length, ch, prefix(tag));
        }
      } else if (part.channel() != null) {
        send(part.channel(), part.from(), part.to(), ch, tag);
      } else {
        try (FileChannel in = FileChannel.open(part.file(), StandardOpenOption.READ)) {
          send(in, part.from(), part.to(), ch, tag);
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // the task never opened its spool (it could not start): nothing to print
    } catch (IOException e) {
      throw isStdout && OutputClosedException.isBrokenPipe(e) ? new OutputClosedException(e)
          : new IOException("cannot write to standard " + (isStdout ? "output" : "error")
              + ": " + e.getMessage(), e);
    }
  }

  private static void send(FileChannel in, long from, long to, WritableByteChannel ch,
      String tag) throws IOException {
    if (tag == null) {
      long pos = from;
      while (pos < to) {
        long n = in.transferTo(pos, to - pos, ch);
        if (n <= 0) {
          break; // the file is shorter than recorded: nothing more to send
        }
        pos += n;
      }
    } else {
      in.position(from);
      copyTagged(in, to - from, ch, prefix(tag));
    }
  }

  private static byte[] prefix(String tag) {
    return (tag + "\t").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void copyTagged(ReadableByteChannel in, long length, WritableByteChannel to,
      byte[] prefix) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    ByteBuffer outBuf = ByteBuffer.allocate(128 * 1024);
    boolean atLineStart = true;
    long left = length;
    while (left > 0) {
      buf.limit((int) Math.min(buf.capacity(), left));
      int n = in.read(buf);
      if (n <= 0) {
        break;
      }
      left -= n;
      buf.flip();
      while (buf.hasRemaining()) {
        if (atLineStart) {
          if (outBuf.remaining() < prefix.length) {
            drain(outBuf, to);
          }
          outBuf.put(prefix);
          atLineStart = false;
        }
        byte b = buf.get();
        if (!outBuf.hasRemaining()) {
          drain(outBuf, to);
        }
        outBuf.put(b);
        if (b == '\n') {
          atLineStart = true;
        }
      }
      buf.clear();
    }
    drain(outBuf, to);
  }

  private static void drain(ByteBuffer b, WritableByteChannel to) throws IOException {
    b.flip();
    writeFully(to, b);
    b.clear();
  }

  private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
