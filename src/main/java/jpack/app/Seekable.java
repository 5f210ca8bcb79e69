package jpack.app;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/** A regular file on stdin: where jpack started reading it, and giving back what it did not use. */
final class Seekable {
  private Seekable() {}

  /** The position of a seekable input (a regular file on stdin), else -1. */
  static long position(InputStream in) {
    if (in instanceof FileInputStream f) {
      try {
        FileChannel ch = f.getChannel();
        return ch.position();
      } catch (IOException e) {
        return -1;
      }
    }
    return -1;
  }

  /** Leaves a seekable stdin just after what jpack used, as xargs does at exit (-E). */
  static void rewind(InputStream in, long position) {
    try {
      ((FileInputStream) in).getChannel().position(position);
    } catch (IOException | ClassCastException e) {
      // not seekable after all: nothing to give back
    }
  }
}
