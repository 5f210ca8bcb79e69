package jpack.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM decodes its arguments with the platform charset and turns bytes that are not valid there
 * into U+FFFD. When that happened, jpack reads its real argument bytes from /proc/self/cmdline (the
 * last N words are main's N arguments) so that an argument such as a Latin-1 file name reaches the
 * command unchanged, one char per byte.
 */
final class RawArgs {
  private RawArgs() {}

  static List<String> of(String[] args) {
    List<String> given = List.of(args);
    boolean lossy = false;
    for (String a : args) {
      if (a.indexOf('\uFFFD') >= 0) {
        lossy = true;
        break;
      }
    }
    if (!lossy) {
      return given;
    }
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
      List<String> words = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          words.add(new String(raw, start, i - start, StandardCharsets.ISO_8859_1));
          start = i + 1;
        }
      }
      if (words.size() < args.length) {
        return given;
      }
      List<String> tail = words.subList(words.size() - args.length, words.size());
      for (int i = 0; i < args.length; i++) {
        if (args[i].indexOf('\uFFFD') < 0 && !args[i].equals(tail.get(i))
            && isAscii(args[i])) {
          return given; // not the words we were given: keep what the JVM decoded
        }
      }
      return new ArrayList<>(tail);
    } catch (IOException | RuntimeException e) {
      return given;
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }
}
