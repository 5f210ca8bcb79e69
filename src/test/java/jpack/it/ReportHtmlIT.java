package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's browser check: the report of a real jpack run's log, rendered by headless Chromium
 * (Debian's chromium): the screenshot is not blank, and the DOM Chromium built holds a row per
 * slot and a bar per run, failures marked. Skipped without chromium unless
 * JPACK_REQUIRE_CHROMIUM is set (.ci/run sets it).
 */
@Timeout(300)
class ReportHtmlIT {
  private static String chromium;

  @TempDir Path tmp;

  @BeforeAll
  static void findChromium() {
    for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
      if (Files.isExecutable(Path.of(c))) {
        chromium = c;
      }
    }
    if (chromium == null && System.getenv("JPACK_REQUIRE_CHROMIUM") != null) {
      throw new AssertionError("JPACK_REQUIRE_CHROMIUM is set but chromium is not installed"
          + " (apt-get install chromium)");
    }
    assumeTrue(chromium != null, "no chromium: skipped (set JPACK_REQUIRE_CHROMIUM to fail)");
  }

  private Proc.Result browser(String... args) throws Exception {
    String[] argv = new String[args.length + 6];
    argv[0] = chromium;
    argv[1] = "--headless";
    argv[2] = "--no-sandbox";
    argv[3] = "--disable-gpu";
    argv[4] = "--hide-scrollbars";
    argv[5] = "--user-data-dir=" + tmp.resolve("profile");
    System.arraycopy(args, 0, argv, 6, args.length);
    Proc.Result r = Proc.run(argv, null, Map.of(), tmp.toFile(), Duration.ofSeconds(120));
    assertEquals(0, r.code(), r.err());
    return r;
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void theReportOfARealRunRendersWithARowPerSlot() throws Exception {
    Path task = tmp.resolve("task.sh");
    // 24 tasks at 4 at once; every 7th exits 3; runtimes 0.1-0.5 s
    Files.writeString(task, "#!/bin/sh\nsleep 0.$(( $1 % 5 + 1 ))\n[ $(( $1 % 7 )) = 0 ] && exit 3\n"
        + "exit 0\n");
    task.toFile().setExecutable(true);
    StringBuilder in = new StringBuilder();
    for (int i = 1; i <= 24; i++) {
      in.append(i).append('\n');
    }
    Path log = tmp.resolve("run.tsv");
    Proc.Result run = Proc.jpack(in.toString(), "-P", "4", "-n", "1", "--joblog", log.toString(),
        task.toString());
    assertEquals(123, run.code(), run.err());
    Path html = tmp.resolve("report.html");
    Proc.Result rep = Proc.jpack("", "--report", log.toString(), "--report-html",
        html.toString());
    assertEquals(0, rep.code(), rep.err());
    assertTrue(rep.out().contains("tasks       24: 21 done, 3 failed (3 exit status)"), rep.out());
    Matcher slots = Pattern.compile("\nslots +(\\d+) ").matcher(rep.out());
    assertTrue(slots.find(), rep.out());
    int n = Integer.parseInt(slots.group(1));
    assertTrue(n >= 3 && n <= 4, "slots " + n + ":\n" + rep.out()); // -P 4; the greedy count

    Path png = tmp.resolve("shot.png");
    browser("--screenshot=" + png, "--window-size=1280,1400", html.toUri().toString());
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1280, img.getWidth());
    Set<Integer> colours = new HashSet<>();
    long notWhite = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        if (rgb != 0xffffff) {
          notWhite++;
        }
      }
    }
    long all = (long) (img.getHeight() / 2) * (img.getWidth() / 2);
    assertTrue(colours.size() > 20, colours.size() + " colours: blank?");
    assertTrue(notWhite > all / 20, notWhite + " of " + all + " pixels drawn: blank?");
    // the bars' blue and the failures' red are there
    assertTrue(colours.contains(0x3b7dd8), "no run bar drawn");
    assertTrue(colours.contains(0xd62728), "no failure drawn");

    String dom = browser("--dump-dom", html.toUri().toString()).out();
    assertTrue(dom.contains("id=\"shard-1\""), dom);
    assertEquals(n, count(dom, "<g class=\"slot\""), "a row per slot");
    assertTrue(dom.contains("data-slots=\"" + n + "\""), "data-slots");
    assertEquals(24, count(dom, "<rect class=\"run"), "a bar per run");
    assertEquals(3, count(dom, "<rect class=\"run fail exit\""), "the failures marked");
    assertTrue(dom.contains("<pre class=\"summary\" id=\"summary\">jpack report"), "summary");
    assertTrue(!dom.contains("<script"), "no script");
  }

  @Test
  void aBigLogIsDrawnInCellsAndStillRenders() throws Exception {
    // 200,000 runs on 32 slots: too many for a bar each
    StringBuilder sb = new StringBuilder("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\t"
        + "Exitval\tSignal\tCommand\n");
    long[] free = new long[32];
    java.util.Arrays.fill(free, 1_796_000_000_000L);
    for (int i = 1; i <= 200_000; i++) {
      int s = i % 32;
      long st = free[s] + 2;
      int ms = 500 + (i * 7919) % 1000;
      free[s] = st + ms;
      sb.append(i).append("\t:\t").append(st / 1000).append('.')
          .append(String.format("%03d", st % 1000)).append('\t')
          .append(String.format("%10.3f", ms / 1000.0)).append("\t0\t0\t")
          .append(i % 5000 == 0 ? 1 : 0).append("\t0\t./t ").append(i).append('\n');
    }
    Path log = tmp.resolve("big.tsv");
    Files.writeString(log, sb);
    Path html = tmp.resolve("big.html");
    Proc.Result rep = Proc.jpack("", "--report", log.toString(), "--report-html",
        html.toString());
    assertEquals(0, rep.code(), rep.err());
    assertTrue(Files.size(html) < 2_000_000, Files.size(html) + " bytes");
    long t0 = System.nanoTime();
    String dom = browser("--dump-dom", html.toUri().toString()).out();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(dom.contains("data-mode=\"cells\""), "cells");
    assertEquals(32, count(dom, "<g class=\"slot\""), "a row per slot");
    assertEquals(40, count(dom, "<rect class=\"tick exit\""), "each failure ticked");
    assertTrue(ms < 60_000, "chromium took " + ms + " ms");
  }
}
