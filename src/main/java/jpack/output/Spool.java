package jpack.output;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Per-slot files in a private directory under $TMPDIR that grouped tasks write their stdout and
 * stderr to, so jpack's memory never depends on how much the tasks print and no pipe is ever left
 * undrained. A slot's tasks append to its files (O_APPEND: no truncation, which costs a journal
 * update per task on ext4); each task's block is the range it added. A file is emptied once it
 * has grown past a threshold and nothing in it is waiting to be printed. A block that must wait
 * for earlier tasks (-k) is copied into memory when small, else moves aside with its whole file
 * and the slot starts a new one. Each slot file is read through one channel opened once.
 */
public final class Spool implements AutoCloseable {
  private static final long TRUNCATE_AT = 16L << 20;
  /** A held block up to this size is kept in memory rather than in files of its own. */
  private static final long SMALL = 64L << 10;
  private static final long HELD_IN_MEMORY = 16L << 20;
  private static final int CACHED_SLOTS = 16;

  private final Path dir;
  private long[] outEnd = new long[8];
  private long[] errEnd = new long[8];
  private int[] generation = new int[8];
  private final FileChannel[] outReaders = new FileChannel[CACHED_SLOTS];
  private final FileChannel[] errReaders = new FileChannel[CACHED_SLOTS];
  /** Bytes of held blocks kept in memory, at most {@value #HELD_IN_MEMORY}. */
  private long heldInMemory;

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
    return dir.resolve(name("o", slot));
  }

  private Path err(int slot) {
    return dir.resolve(name("e", slot));
  }

  /**
   * A slot file's name: a new one each time the slot's files move aside, so a name always means
   * the same file (jpack-spawn keeps the files it was given open, by name).
   */
  private String name(String kind, int slot) {
    int g = slot < generation.length ? generation[slot] : 0;
    return g == 0 ? kind + slot : kind + slot + "." + g;
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

  /**
   * The slot's stdout file, for a writer of jpack's own (a --worker's reader): call
   * {@link #stdoutOf} first at each task, as for a process, so a big file is emptied.
   */
  public Path stdoutPath(int slot) {
    return out(slot);
  }

  /** How many bytes the last task of the slot wrote to stdout so far. */
  public long stdoutSize(int slot) throws IOException {
    grow(slot);
    return size(slot, true) - outEnd[slot];
  }

  /** The finished slot's block, printed now; its range is then taken as consumed. */
  public Block take(int slot) throws IOException {
    grow(slot);
    long oEnd = size(slot, true);
    long eEnd = size(slot, false);
    Block b = new Block(part(slot, true, outEnd[slot], oEnd), part(slot, false, errEnd[slot],
        eEnd), null);
    outEnd[slot] = oEnd; // the block is printed before the slot's next start empties a big file
    errEnd[slot] = eEnd;
    return b;
  }

  /**
   * A finished slot's block that must wait for earlier tasks (-k). A small one is copied into
   * memory (up to {@value #HELD_IN_MEMORY} bytes of them in all): no file operations at all. A
   * large one moves aside with its slot's files, and the slot starts new ones.
   */
  public Block hold(int slot, long seq) throws IOException {
    grow(slot);
    long oEnd = size(slot, true);
    long eEnd = size(slot, false);
    long n = oEnd - outEnd[slot] + eEnd - errEnd[slot];
    if (n <= SMALL && heldInMemory + n <= HELD_IN_MEMORY) {
      heldInMemory += n;
      Block b = new Block(
          new Part(null, null, 0, 0, read(slot, true, outEnd[slot], oEnd), false),
          new Part(null, null, 0, 0, read(slot, false, errEnd[slot], eEnd), false), this);
      outEnd[slot] = oEnd;
      errEnd[slot] = eEnd;
      return b;
    }
    closeReaders(slot);
    Path ho = dir.resolve("ho" + seq);
    Path he = dir.resolve("he" + seq);
    long from = outEnd[slot];
    long errFrom = errEnd[slot];
    move(out(slot), ho);
    move(err(slot), he);
    generation[slot]++;
    outEnd[slot] = 0;
    errEnd[slot] = 0;
    return new Block(new Part(null, ho, from, ho.toFile().length(), null, true),
        new Part(null, he, errFrom, he.toFile().length(), null, true), null);
  }

  /**
   * The slot's task left processes behind that may still write to its files: once its block is
   * taken, the slot's next task gets new files (what they write later goes to the old ones,
   * unlinked: lost, never another task's output).
   */
  public void retire(int slot) throws IOException {
    grow(slot);
    closeReaders(slot);
    Files.deleteIfExists(out(slot));
    Files.deleteIfExists(err(slot));
    generation[slot]++;
    outEnd[slot] = 0;
    errEnd[slot] = 0;
  }

  /** A range of a slot file: through the slot's reader, or by name past the cached slots. */
  private Part part(int slot, boolean stdout, long from, long to) throws IOException {
    if (to <= from) {
      return new Part(null, null, 0, 0, null, false);
    }
    return slot < CACHED_SLOTS ? new Part(reader(slot, stdout), null, from, to, null, false)
        : new Part(null, stdout ? out(slot) : err(slot), from, to, null, false);
  }

  private long size(int slot, boolean stdout) throws IOException {
    return slot < CACHED_SLOTS ? size(reader(slot, stdout))
        : (stdout ? out(slot) : err(slot)).toFile().length();
  }

  private byte[] read(int slot, boolean stdout, long from, long to) throws IOException {
    if (to <= from) {
      return new byte[0];
    }
    if (slot < CACHED_SLOTS) {
      return read(reader(slot, stdout), from, to);
    }
    try (FileChannel ch = FileChannel.open(stdout ? out(slot) : err(slot),
        StandardOpenOption.READ)) {
      return read(ch, from, to);
    }
  }

  /**
   * The slot file's reader, opened once (for the first {@value #CACHED_SLOTS} slots only: at
   * -P 500 a reader per file would need 1000 descriptors); null while the file does not exist.
   */
  private FileChannel reader(int slot, boolean stdout) throws IOException {
    FileChannel[] chs = stdout ? outReaders : errReaders;
    if (chs[slot] == null) {
      try {
        chs[slot] = FileChannel.open(stdout ? out(slot) : err(slot), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return null; // the task never opened it (it could not start)
      }
    }
    return chs[slot];
  }

  private void closeReaders(int slot) throws IOException {
    for (FileChannel[] chs : new FileChannel[][] {outReaders, errReaders}) {
      if (slot < chs.length && chs[slot] != null) {
        chs[slot].close();
        chs[slot] = null;
      }
    }
  }

  private static long size(FileChannel ch) throws IOException {
    return ch == null ? 0 : ch.size();
  }

  private static byte[] read(FileChannel ch, long from, long to) throws IOException {
    byte[] data = new byte[(int) (to - from)];
    ByteBuffer b = ByteBuffer.wrap(data);
    while (b.hasRemaining()) {
      if (ch.read(b, from + b.position()) <= 0) {
        return Arrays.copyOf(data, b.position()); // shorter than it said: what is there
      }
    }
    return data;
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
      outEnd = Arrays.copyOf(outEnd, n);
      errEnd = Arrays.copyOf(errEnd, n);
      generation = Arrays.copyOf(generation, n);
    }
  }

  @Override
  public void close() throws IOException {
    for (int slot = 0; slot < outReaders.length; slot++) {
      closeReaders(slot);
    }
    String[] names = dir.toFile().list(); // not Files.list: its stream costs ~25 classes at exit
    if (names != null) {
      for (String name : names) {
        Files.deleteIfExists(dir.resolve(name));
      }
    }
    Files.deleteIfExists(dir);
  }

  /**
   * One stream of one task's spooled output: a range of a slot file (read through the spool's
   * own channel, or by name), a held file of its own (owned: deleted once printed), or bytes in
   * memory.
   */
  public record Part(FileChannel channel, Path file, long from, long to, byte[] data,
      boolean owned) {
    public long size() {
      return data != null ? data.length : Math.max(0, to - from);
    }
  }

  /** One task's spooled output; owner is the spool when it holds the bytes in memory. */
  public record Block(Part out, Part err, Spool owner) {
    public static final Block EMPTY = new Block(null, null, null);

    /** Whether it has nothing to print. */
    public boolean isEmpty() {
      return (out == null || out.size() == 0) && (err == null || err.size() == 0);
    }

    /** The same block without its stdout (a failed launch's complaint). */
    public Block stderrOnly() {
      return new Block(new Part(null, null, 0, 0, null, false), err, owner);
    }

    /** Frees what the block holds once it is printed (or dropped). */
    public void discard() throws IOException {
      if (owner != null) {
        owner.heldInMemory -= out.size() + err.size();
      }
      for (Part p : new Part[] {out, err}) {
        if (p != null && p.owned()) {
          Files.deleteIfExists(p.file());
        }
      }
    }
  }
}
