package jpack.joblog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What a job log says was done: for every Seq, whether its last logged run failed and a 64-bit hash
 * of its command. Kept in an open-addressing table of primitives (about 32 bytes a task), so
 * resuming a run of millions of tasks stays small. Lines that are not whole nine-field task lines
 * (a header, a line torn by a crash) are ignored.
 */
public final class LoggedTasks {
  private long[] keys = new long[1024];
  private long[] values = new long[1024];
  private int size;
  private long maxSeq;

  /** The tasks of the log at path; an empty set when the file does not exist. */
  public static LoggedTasks read(Path path) throws IOException {
    LoggedTasks t = new LoggedTasks();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(path),
        StandardCharsets.ISO_8859_1), 1 << 16)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        t.parse(line);
      }
    } catch (NoSuchFileException e) {
      return t;
    }
    return t;
  }

  void parse(String line) {
    String[] f = line.split("\t", 9);
    if (f.length != 9) {
      return;
    }
    try {
      long seq = Long.parseLong(f[0]);
      int exitval = Integer.parseInt(f[6].trim());
      int signal = Integer.parseInt(f[7].trim());
      Double.parseDouble(f[2]);
      Double.parseDouble(f[3].trim());
      if (seq <= 0) {
        return;
      }
      put(seq, (hash(f[8]) & ~1L) | (exitval != 0 || signal != 0 ? 1L : 0L));
    } catch (NumberFormatException e) {
      // not a task line
    }
  }

  /** FNV-1a over the command text, as stored in the log's Command column. */
  public static long hash(String command) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < command.length(); i++) {
      h ^= command.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** How a seq stands in the log. */
  public enum Status {
    ABSENT,
    SUCCEEDED,
    FAILED
  }

  public Status status(long seq) {
    int i = find(seq);
    if (keys[i] == 0) {
      return Status.ABSENT;
    }
    return (values[i] & 1L) != 0 ? Status.FAILED : Status.SUCCEEDED;
  }

  /** Whether the logged command of seq (which must be present) is this one. */
  public boolean sameCommand(long seq, String command) {
    return (values[find(seq)] & ~1L) == (hash(command) & ~1L);
  }

  public long maxSeq() {
    return maxSeq;
  }

  public int size() {
    return size;
  }

  private int find(long seq) {
    int mask = keys.length - 1;
    int i = (int) (mix(seq) & mask);
    while (keys[i] != 0 && keys[i] != seq) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void put(long seq, long value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int i = find(seq);
    if (keys[i] == 0) {
      keys[i] = seq;
      size++;
    }
    values[i] = value; // a later line for the same seq (a rerun) wins
    maxSeq = Math.max(maxSeq, seq);
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    size = 0;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != 0) {
        put(oldKeys[j], oldValues[j]);
      }
    }
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }
}
