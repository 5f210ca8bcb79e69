package jpack.output;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Per-slot files in a private directory under $TMPDIR that grouped tasks write their stdout and
 * stderr to, so jpack's memory never depends on how much the tasks print and no pipe is ever left
 * undrained. A slot's tasks append to its files (O_APPEND: no truncation, which costs a journal
 * update per task on ext4); each task's block is the range it added. A file is emptied once it
 * has grown past a threshold and nothing in it is waiting to be printed. A block that must wait
 * for earlier tasks (-k) moves aside with its whole file, and the slot starts a new one.
 */
public final class Spool implements AutoCloseable {
  private static final long TRUNCATE_AT = 16L << 20;

  private final Path dir;
  private long[] outEnd = new long[8];
  private long[] errEnd = new long[8];

  public Spool(Path parent) throws IOException {
    this.dir = createPrivateDirectory(parent);
  }

  /**
   * A new directory only this user can read, named after the process and the clock (unlike
   * Files.createTempDirectory, no SecureRandom to seed: that alone loaded 150 classes at start).
   */
  private static Path createPrivateDirectory(Path parent) throws IOException {
    long pid = ProcessHandle.current().pid();
    for (int attempt = 0; ; attempt++) {
      Path d = parent.resolve("jpack-" + pid + "-" + Long.toHexString(System.nanoTime()));
      try {
        return Files.createDirectory(d, java.nio.file.attribute.PosixFilePermissions
            .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  public Path directory() {
    return dir;
  }

  /**
   * Whether the spool's file system is (nearly) full, so a task's writes may have failed: less
   * than 64 KiB left. One statfs call.
   */
  public boolean full() {
    return dir.toFile().getUsableSpace() < 64 * 1024;
  }

  /** The directory to spool in: $TMPDIR, else java.io.tmpdir. */
  public static Path defaultParent() {
    String tmp = System.getenv("TMPDIR");
    return Path.of(tmp != null && !tmp.isEmpty() ? tmp : System.getProperty("java.io.tmpdir"));
  }

  private Path out(int slot) {
    return dir.resolve("o" + slot);
  }

  private Path err(int slot) {
    return dir.resolve("e" + slot);
  }

  /** Where the slot's next task writes its stdout (emptying the file first if it grew large). */
  public Redirect stdoutOf(int slot) throws IOException {
    grow(slot);
    return appendTo(out(slot), outEnd, slot);
  }

  public Redirect stderrOf(int slot) throws IOException {
    grow(slot);
    return appendTo(err(slot), errEnd, slot);
  }

  private static Redirect appendTo(Path file, long[] ends, int slot) throws IOException {
    if (ends[slot] > TRUNCATE_AT) {
      truncate(file);
      ends[slot] = 0;
    }
    return Redirect.appendTo(file.toFile());
  }

  /** How many bytes the last task of the slot wrote to stdout so far. */
  public long stdoutSize(int slot) {
    grow(slot);
    return out(slot).toFile().length() - outEnd[slot];
  }

  /** The finished slot's block, printed now; its range is then taken as consumed. */
  public Block take(int slot) throws IOException {
    grow(slot);
    long o = out(slot).toFile().length();
    long e = err(slot).toFile().length();
    Block b = new Block(out(slot), outEnd[slot], o, err(slot), errEnd[slot], e, false);
    outEnd[slot] = o; // the block is printed before the slot's next start empties a big file
    errEnd[slot] = e;
    return b;
  }

  /** Moves a finished slot's files aside so the slot can run its next task. */
  public Block hold(int slot, long seq) throws IOException {
    grow(slot);
    Path o = dir.resolve("ho" + seq);
    Path e = dir.resolve("he" + seq);
    long from = outEnd[slot];
    long errFrom = errEnd[slot];
    move(out(slot), o);
    move(err(slot), e);
    outEnd[slot] = 0;
    errEnd[slot] = 0;
    return new Block(o, from, o.toFile().length(), e, errFrom, e.toFile().length(), true);
  }

  private static void move(Path from, Path to) throws IOException {
    if (Files.exists(from)) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.createFile(to);
    }
  }

  private static void truncate(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
  }

  private void grow(int slot) {
    if (slot >= outEnd.length) {
      int n = Math.max(slot + 1, outEnd.length * 2);
      outEnd = java.util.Arrays.copyOf(outEnd, n);
      errEnd = java.util.Arrays.copyOf(errEnd, n);
    }
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  /**
   * One task's spooled output: byte ranges of two files. Held blocks own their files, which are
   * deleted once printed.
   */
  public record Block(Path stdout, long outFrom, long outTo, Path stderr, long errFrom,
      long errTo, boolean held) {
    public void discard() throws IOException {
      if (held) {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    }
  }
}
