package jpack.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** jpack-spawn's wire protocol, both ways, without the helper. */
class SpawnProtocolTest {
  private static String sent(SpawnProtocol.Requests r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    r.writeTo(Channels.newChannel(out));
    assertTrue(r.isEmpty(), "written requests are forgotten");
    return out.toString(StandardCharsets.ISO_8859_1).replace('\0', '|');
  }

  @Test
  void requestsAreNulTerminatedFields() throws IOException {
    SpawnProtocol.Requests r = new SpawnProtocol.Requests();
    assertTrue(r.isEmpty());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("A", "1");
    env.put("B", "x=y");
    r.start(7, 2, "/spool/o", "", "/work/d", List.of("sh", "-c", "echo hi", ""), env);
    r.signal(7, 15);
    r.recall(8);
    r.release();
    r.end();
    assertEquals("S|7|2|/spool/o||/work/d|4|sh|-c|echo hi||2|A=1|B=x=y|K|7|15|C|8|G|E|", sent(r));
  }

  @Test
  void aRequestLargerThanTheBufferGrowsIt() throws IOException {
    SpawnProtocol.Requests r = new SpawnProtocol.Requests();
    String big = "x".repeat(200_000);
    r.start(1, 0, "", "", "", List.of("echo", big), Map.of());
    assertEquals("S|1|0||||2|echo|" + big + "|0|", sent(r));
  }

  @Test
  void endsCarryTheWaitStatusTheFlagAndTheUsage() {
    SpawnProtocol.Event e = SpawnProtocol.decode("X 12 768 5000 102400 1000123 4567");
    assertEquals(new SpawnProtocol.Ended(12, new ExitInfo(3, 0, new Usage(102400, 1000123, 4567)),
        false, 5000), e);
    SpawnProtocol.Ended killed = (SpawnProtocol.Ended) SpawnProtocol.decode(
        "X 13 " + ((1 << 16) | 9) + " 6000 1500 0 12");
    assertEquals(9, killed.exit().signal());
    assertEquals(-1, killed.exit().exitCode());
    assertTrue(killed.leftProcesses(), "bit 16: it left processes");
    assertEquals(new Usage(1500, 0, 12), killed.exit().usage());
  }

  /** An end without the figures (or with figures no kernel gives) has them UNKNOWN. */
  @Test
  void anEndWithoutUsageIsUnknownNeverZero() {
    SpawnProtocol.Ended old = (SpawnProtocol.Ended) SpawnProtocol.decode("X 1 0 99");
    assertSame(Usage.UNKNOWN, old.exit().usage());
    assertTrue(old.exit().success());
    SpawnProtocol.Ended odd = (SpawnProtocol.Ended) SpawnProtocol.decode("X 1 0 99 -5 1 1");
    assertSame(Usage.UNKNOWN, odd.exit().usage());
  }

  @Test
  void startsFailuresAndDrops() {
    assertEquals(new SpawnProtocol.Started(3, 4242, 777), SpawnProtocol.decode("P 3 4242 777"));
    assertEquals(new SpawnProtocol.Failed(4, 2, "No such file or directory"),
        SpawnProtocol.decode("F 4 2 No such file or directory"));
    assertEquals(new SpawnProtocol.Dropped(5), SpawnProtocol.decode("N 5"));
  }

  @Test
  void linesOfNoKnownShapeAreIgnored() {
    for (String bad : new String[] {"", "X", "N", "N x", "P 1 2", "X 1 2 3 4", "X 1 2 3 4 5",
        "Q 1 2 3", "PP 1 2 3", "X 1 zero 3", "F 1 x text"}) {
      assertNull(SpawnProtocol.decode(bad), bad);
    }
  }

  @Test
  void theEventStreamSplitsIntoLinesAcrossReads() throws IOException {
    byte[] stream = "P 1 10 100\nX 1 0 200 2048 5 6\nN 2\nbogus\nF 3 13 Permission denied\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    List<SpawnProtocol.Event> seen = new ArrayList<>();
    // one byte per read: every line arrives in pieces
    SpawnProtocol.readEvents(Channels.newChannel(new ByteArrayInputStream(stream) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    }), seen::add);
    assertEquals(List.of(new SpawnProtocol.Started(1, 10, 100),
        new SpawnProtocol.Ended(1, new ExitInfo(0, 0, new Usage(2048, 5, 6)), false, 200),
        new SpawnProtocol.Dropped(2), new SpawnProtocol.Failed(3, 13, "Permission denied")),
        seen);
  }

  @Test
  void theHelloNamesTheVersion() throws IOException {
    SpawnProtocol.checkVersion(Channels.newChannel(new ByteArrayInputStream("V 4\n".getBytes())));
    IOException e = assertThrows(IOException.class, () -> SpawnProtocol.checkVersion(
        Channels.newChannel(new ByteArrayInputStream("V 2\n".getBytes()))));
    assertEquals("jpack-spawn speaks another protocol: V 2", e.getMessage());
  }

  /** The app's calls keep their meaning: two numbers are an end of unknown usage. */
  @Test
  void exitInfoKeepsItsTwoNumberForms() {
    assertSame(Usage.UNKNOWN, new ExitInfo(1, 0).usage());
    assertEquals(new ExitInfo(-1, 9), ExitInfo.fromJdk(137));
    assertEquals(new ExitInfo(-1, 9), ExitInfo.fromWaitStatus(9));
    assertEquals(new ExitInfo(137, 0), ExitInfo.fromWaitStatus(137 << 8));
    assertEquals(new ExitInfo(4, 0), ExitInfo.exited(4));
    assertTrue(ExitInfo.exited(0).success());
    Usage u = new Usage(1, 2, 3);
    assertEquals(new ExitInfo(0, 0, u), ExitInfo.fromWaitStatus(0, u));
    assertEquals(new ExitInfo(0, 0, u), ExitInfo.exited(0).withUsage(u));
    assertThrows(NullPointerException.class, () -> new ExitInfo(0, 0, null));
  }

  @Test
  void usageIsAllKnownOrAllUnknown() {
    assertTrue(new Usage(0, 0, 0).known());
    assertEquals(5, new Usage(9, 2, 3).cpuMicros());
    assertEquals(-1, Usage.UNKNOWN.cpuMicros());
    assertTrue(!Usage.UNKNOWN.known());
    assertThrows(IllegalArgumentException.class, () -> new Usage(-1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Usage(5, -2, 0));
  }
}
