package jpack.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/** jpack's own lines on stderr before a run starts (usage errors, warnings, limits). */
final class Messages {
  private final WritableByteChannel err;

  Messages(WritableByteChannel err) {
    this.err = err;
  }

  void message(String text) {
    ByteBuffer b = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.ISO_8859_1));
    try {
      while (b.hasRemaining()) {
        err.write(b);
      }
    } catch (IOException ignored) {
      // stderr is gone: nothing left to tell anyone
    }
  }
}
