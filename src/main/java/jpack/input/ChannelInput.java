package jpack.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A pipe or terminal read through its FileChannel: a read blocked there ends when the reading
 * thread is interrupted (a FileInputStream's read never does, and at exit a JVM waits up to
 * 300 ms for a thread blocked so: a run stopped early while its producer still wrote took that
 * long to end). Interrupting it closes the channel, and so the descriptor.
 */
public final class ChannelInput extends InputStream {
  private final FileChannel channel;

  public ChannelInput(FileChannel channel) {
    this.channel = channel;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n;
    do {
      n = channel.read(ByteBuffer.wrap(b, off, len));
    } while (n == 0);
    return n;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
