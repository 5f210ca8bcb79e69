package jpack.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool and the printer on real files: a task's bytes come out exactly (any bytes, not
 * text), a slot's tasks never see each other's output, a held block (-k) is unchanged by what
 * the slot writes next, small ones in memory and large ones moved aside, a retired slot's late
 * writes are nobody's, --tag prefixes every line, and close leaves nothing behind.
 */
class SpoolPrinterTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Printer printer = new Printer(Channels.newChannel(out), Channels.newChannel(err));

  /** What a task started on the slot now writes to its stdout and stderr, as a process would. */
  private static void task(Spool s, int slot, byte[] stdout, byte[] stderr) throws IOException {
    File o = s.stdoutOf(slot).file();
    File e = s.stderrOf(slot).file();
    Files.write(o.toPath(), stdout, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Files.write(e.toPath(), stderr, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void aTasksBytesComeOutExactlyAndOnlyItsOwn() throws Exception {
    Spool s = new Spool(tmp);
    byte[] odd = {(byte) 0xff, 0, (byte) 0xc3, '\n', (byte) 0x80, 'x'}; // not UTF-8, no newline
    task(s, 0, odd, bytes("warn 1\n"));
    printer.block(s.take(0), null);
    task(s, 0, bytes("second\n"), new byte[0]);
    printer.block(s.take(0), null);
    byte[] expected = new byte[odd.length + 7];
    System.arraycopy(odd, 0, expected, 0, odd.length);
    System.arraycopy(bytes("second\n"), 0, expected, odd.length, 7);
    assertArrayEquals(expected, out.toByteArray());
    assertEquals("warn 1\n", err.toString(StandardCharsets.ISO_8859_1));
    s.close();
    assertFalse(Files.exists(s.directory()), "close removes the spool");
  }

  @Test
  void heldBlocksAreUnchangedByTheSlotsNextTasks() throws Exception {
    Spool s = new Spool(tmp);
    task(s, 0, bytes("small\n"), new byte[0]);
    Spool.Block small = s.hold(0, 1);
    byte[] big = new byte[200 << 10];
    java.util.Arrays.fill(big, (byte) 'b');
    task(s, 0, big, bytes("big's err\n"));
    Spool.Block large = s.hold(0, 2); // over the in-memory size: moved aside
    task(s, 0, bytes("third\n"), new byte[0]);
    Spool.Block third = s.take(0);
    printer.block(third, null);
    printer.block(small, null);
    printer.block(large, null);
    third.discard();
    small.discard();
    large.discard();
    String o = out.toString(StandardCharsets.ISO_8859_1);
    assertEquals("third\nsmall\n" + new String(big, StandardCharsets.ISO_8859_1), o);
    assertEquals("big's err\n", err.toString(StandardCharsets.ISO_8859_1));
    s.close();
    assertFalse(Files.exists(s.directory()));
  }

  @Test
  void aRetiredSlotsLateWritesAreNobodys() throws Exception {
    Spool s = new Spool(tmp);
    File first = s.stdoutOf(0).file();
    Files.write(first.toPath(), bytes("mine\n"), StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    s.stderrOf(0);
    printer.block(s.take(0), null);
    s.retire(0); // its task left a process behind that still writes
    task(s, 0, bytes("next\n"), new byte[0]);
    Files.write(first.toPath(), bytes("late\n"), StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    printer.block(s.take(0), null);
    assertEquals("mine\nnext\n", out.toString(StandardCharsets.ISO_8859_1));
    s.close();
  }

  @Test
  void aTagPrefixesEveryLineOfBothStreams() throws Exception {
    Spool s = new Spool(tmp);
    task(s, 0, bytes("a\nb\n"), bytes("e\n"));
    printer.block(s.take(0), "t1");
    assertEquals("t1\ta\nt1\tb\n", out.toString(StandardCharsets.ISO_8859_1));
    assertEquals("t1\te\n", err.toString(StandardCharsets.ISO_8859_1));
    assertTrue(s.stdoutSize(0) == 0, "taken: nothing left of the task");
    s.close();
  }
}
