package jpack.output;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Per-slot files in a private directory under $TMPDIR that grouped tasks write their stdout and
 * stderr to, so jpack's memory never depends on how much the tasks print and no pipe is ever left
 * undrained. A slot's files are truncated when its next task starts; a block that must wait for
 * earlier tasks (-k) is moved aside under its sequence number first.
 */
public final class Spool implements AutoCloseable {
  private final Path dir;

  public Spool(Path parent) throws IOException {
    this.dir = Files.createTempDirectory(parent, "jpack-");
  }

  /** The directory to spool in: $TMPDIR, else java.io.tmpdir. */
  public static Path defaultParent() {
    String tmp = System.getenv("TMPDIR");
    return Path.of(tmp != null && !tmp.isEmpty() ? tmp : System.getProperty("java.io.tmpdir"));
  }

  public File stdoutOf(int slot) {
    return dir.resolve("o" + slot).toFile();
  }

  public File stderrOf(int slot) {
    return dir.resolve("e" + slot).toFile();
  }

  /** Moves a finished slot's files aside so the slot can run its next task. */
  public Block hold(int slot, long seq) throws IOException {
    Path out = dir.resolve("ho" + seq);
    Path err = dir.resolve("he" + seq);
    Files.move(stdoutOf(slot).toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    Files.move(stderrOf(slot).toPath(), err, StandardCopyOption.REPLACE_EXISTING);
    return new Block(out, err, true);
  }

  /** The finished slot's files in place. */
  public Block inPlace(int slot) {
    return new Block(stdoutOf(slot).toPath(), stderrOf(slot).toPath(), false);
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

  /** One task's spooled output; held blocks are deleted once printed. */
  public record Block(Path stdout, Path stderr, boolean held) {
    public void discard() throws IOException {
      if (held) {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    }
  }
}
