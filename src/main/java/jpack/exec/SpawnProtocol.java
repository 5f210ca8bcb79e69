package jpack.exec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The wire protocol between jpack and jpack-spawn, version {@value #VERSION} (the helper's source,
 * src/main/c/jpack-spawn.c, tells what each message makes it do). Requests go to the helper as
 * fields that each end with a NUL byte: {@code S id slot out err dir argc arg... envc NAME=VALUE...}
 * (start), {@code K id signal}, {@code C id} (recall), {@code G} (go on after a failure) and
 * {@code E} (a normal end). Events come back one line each, after the helper's first line
 * {@code V 4}: {@code P id pid time}, {@code F id errno text},
 * {@code X id status time maxrss utime stime} and {@code N id}. Times are CLOCK_MONOTONIC
 * nanoseconds (System.nanoTime's clock); status is the raw wait status, with bit 16 set when the
 * task left processes running; maxrss (KB), utime and stime (microseconds) are what wait4(2)
 * gave (see {@link Usage}).
 */
final class SpawnProtocol {
  /** The protocol this jpack speaks; the helper says its own first ("V 4"; 4 added dir). */
  static final int VERSION = 4;

  /** Event lines longer than this are cut (none is: the longest, F, holds a strerror text). */
  static final int MAX_LINE = 256;

  private SpawnProtocol() {}

  /** Reads the helper's first line; throws when it speaks another protocol. */
  static void checkVersion(ReadableByteChannel ch) throws IOException {
    String hello = "V " + VERSION + "\n";
    ByteBuffer b = ByteBuffer.allocate(16);
    while (b.position() < hello.length() && ch.read(b) > 0) {
      // the line is 4 bytes
    }
    String got = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    if (!got.equals(hello)) {
      throw new IOException("jpack-spawn speaks another protocol: " + got.trim());
    }
  }

  /** Requests put together until {@link #writeTo} sends them, so that several go at once. */
  static final class Requests {
    private ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);

    /**
     * S: start argv on the slot (or after the slot's task); out, err: a file, or "" to inherit;
     * dir: its working directory, or "" for the helper's.
     */
    void start(long id, int slot, String out, String err, String dir, List<String> argv,
        Map<String, String> env) {
      put("S");
      put(Long.toString(id));
      put(Integer.toString(slot));
      put(out);
      put(err);
      put(dir);
      put(Integer.toString(argv.size()));
      for (String a : argv) {
        put(a);
      }
      put(Integer.toString(env.size()));
      for (Map.Entry<String, String> v : env.entrySet()) {
        put(v.getKey() + "=" + v.getValue());
      }
    }

    /** K: the signal to a running task; a waiting one is dropped. */
    void signal(long id, int signal) {
      put("K");
      put(Long.toString(id));
      put(Integer.toString(signal));
    }

    /** C: a waiting task is dropped; a running one goes on. */
    void recall(long id) {
      put("C");
      put(Long.toString(id));
    }

    /** G: waiting tasks may start again after a failure. */
    void release() {
      put("G");
    }

    /** E: jpack ends normally. */
    void end() {
      put("E");
    }

    boolean isEmpty() {
      return buf.position() == 0;
    }

    /** Writes what was put and forgets it, written or not. */
    void writeTo(WritableByteChannel ch) throws IOException {
      buf.flip();
      try {
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      } finally {
        buf.clear();
      }
    }

    /** One field (the platform's encoding, as the JDK encodes argv) and its NUL. */
    private void put(String field) {
      byte[] b = field.getBytes();
      if (buf.remaining() < b.length + 1) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buf.capacity() * 2,
            buf.position() + b.length + 1 + (1 << 16)));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
      buf.put(b).put((byte) 0);
    }
  }

  /** What the helper tells of a task. */
  sealed interface Event permits Started, Failed, Ended, Dropped {
    long id();
  }

  /** P: it runs as pid since nanos. */
  record Started(long id, long pid, long nanos) implements Event {}

  /** F: it could not be started. */
  record Failed(long id, int errno, String text) implements Event {}

  /** X: it ended at nanos, as exit tells (with its usage); leftProcesses: bit 16. */
  record Ended(long id, ExitInfo exit, boolean leftProcesses, long nanos) implements Event {}

  /** N: it was dropped before it started. */
  record Dropped(long id) implements Event {}

  /** One event line (without its newline); null when it is none of the above. */
  static Event decode(String line) {
    String[] f = line.split(" ", line.startsWith("F ") ? 4 : -1);
    try {
      if (f.length < 2 || f[0].length() != 1) {
        return null;
      }
      long id = Long.parseLong(f[1]);
      switch (f[0].charAt(0)) {
        case 'N':
          return f.length == 2 ? new Dropped(id) : null;
        case 'P':
          return f.length == 4 ? new Started(id, Long.parseLong(f[2]), Long.parseLong(f[3]))
              : null;
        case 'F':
          return f.length == 4 ? new Failed(id, Integer.parseInt(f[2]), f[3]) : null;
        case 'X':
          if (f.length != 4 && f.length != 7) {
            return null;
          }
          int status = Integer.parseInt(f[2]);
          Usage usage = f.length == 7 ? usage(f[4], f[5], f[6]) : Usage.UNKNOWN;
          return new Ended(id, ExitInfo.fromWaitStatus(status & 0xffff, usage),
              (status & (1 << 16)) != 0, Long.parseLong(f[3]));
        default:
          return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Usage usage(String rss, String user, String sys) {
    try {
      return new Usage(Long.parseLong(rss), Long.parseLong(user), Long.parseLong(sys));
    } catch (IllegalArgumentException e) { // a negative figure: not to be believed
      return Usage.UNKNOWN;
    }
  }

  /** Reads event lines until the channel ends; each that decodes goes to sink. */
  static void readEvents(ReadableByteChannel ch, Consumer<Event> sink) throws IOException {
    ByteBuffer in = ByteBuffer.allocate(1 << 14);
    byte[] line = new byte[MAX_LINE];
    int len = 0;
    while (ch.read(in) > 0) {
      in.flip();
      while (in.hasRemaining()) {
        byte b = in.get();
        if (b == '\n') {
          Event e = decode(new String(line, 0, len, StandardCharsets.ISO_8859_1));
          if (e != null) {
            sink.accept(e);
          }
          len = 0;
        } else if (len < line.length) {
          line[len++] = b;
        }
      }
      in.clear();
    }
  }
}
