package jpack.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs jpack (through ./jpack, as users do) or a peer as a black box, with a hard time limit. */
final class Proc {
  static final Path HOME = Path.of(System.getProperty("jpack.home", ".")).toAbsolutePath();
  static final String JPACK = HOME.resolve("jpack").toString();

  record Result(int code, byte[] stdout, byte[] stderr, long millis) {
    String out() {
      return new String(stdout, StandardCharsets.ISO_8859_1);
    }

    String err() {
      return new String(stderr, StandardCharsets.ISO_8859_1);
    }
  }

  private Proc() {}

  static Result jpack(byte[] stdin, String... args) throws IOException, InterruptedException {
    return run(prepend(JPACK, args), stdin, Map.of(), null, Duration.ofSeconds(60));
  }

  static Result jpack(String stdin, String... args) throws IOException, InterruptedException {
    return jpack(stdin.getBytes(StandardCharsets.ISO_8859_1), args);
  }

  static String[] prepend(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** Runs argv with stdin from a file holding the bytes (null: /dev/null); outputs via files. */
  static Result run(String[] argv, byte[] stdin, Map<String, String> env, File dir,
      Duration limit) throws IOException, InterruptedException {
    Path tmp = Files.createTempDirectory("jpack-it");
    try {
      Path in = tmp.resolve("in");
      Files.write(in, stdin == null ? new byte[0] : stdin);
      ProcessBuilder pb = new ProcessBuilder(List.of(argv))
          .redirectInput(in.toFile())
          .redirectOutput(tmp.resolve("out").toFile())
          .redirectError(tmp.resolve("err").toFile());
      if (dir != null) {
        pb.directory(dir);
      }
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("timed out after " + limit + ": " + String.join(" ", argv));
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new Result(p.exitValue(), Files.readAllBytes(tmp.resolve("out")),
          Files.readAllBytes(tmp.resolve("err")), ms);
    } finally {
      try (var s = Files.walk(tmp)) {
        for (Path p : (Iterable<Path>) s.sorted((a, b) -> b.compareTo(a))::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * Starts a real service for a test class with one of src/test/sh's scripts and returns what it
   * prints (a config path). Without the program the tests skip, and so when the script fails,
   * unless requireVar is set (CI), where either is a failure.
   */
  static String startService(String program, String what, String requireVar, String script,
      String... args) throws IOException, InterruptedException {
    boolean required = System.getenv(requireVar) != null;
    org.junit.jupiter.api.Assumptions.assumeTrue(
        required || Files.isExecutable(Path.of(program)), what + " is not installed");
    String[] argv = new String[args.length + 2];
    argv[0] = "sh";
    argv[1] = HOME.resolve("src/test/sh").resolve(script).toString();
    System.arraycopy(args, 0, argv, 2, args.length);
    Result r = run(argv, null, Map.of(), null, Duration.ofSeconds(120));
    org.junit.jupiter.api.Assumptions.assumeTrue(required || r.code() == 0,
        () -> what + " did not start: " + r.err());
    org.junit.jupiter.api.Assertions.assertEquals(0, r.code(),
        () -> script + " failed (" + requireVar + " is set): " + r.out() + r.err());
    return r.out().strip();
  }

  /** Sorted lines, for comparing runs whose order may differ (-P > 1). */
  static List<String> sortedLines(String s) {
    List<String> lines = new ArrayList<>(s.lines().toList());
    lines.sort(null);
    return lines;
  }

  /** Whether a process whose command line contains marker is still alive after a short settle. */
  static boolean anyAlive(String marker) throws InterruptedException {
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
    while (true) {
      boolean alive = ProcessHandle.allProcesses().anyMatch(p ->
          p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
      if (!alive || System.nanoTime() > until) {
        return alive;
      }
      Thread.sleep(50);
    }
  }
}
