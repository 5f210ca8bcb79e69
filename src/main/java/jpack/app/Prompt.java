package jpack.app;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jpack.command.ShellQuote;
import jpack.output.Printer;

/** -p: asks on the terminal before each command, as xargs does. */
final class Prompt {
  private final Printer printer;
  private BufferedReader tty;

  Prompt(Printer printer) {
    this.printer = printer;
  }

  /** Whether the answer to "COMMAND ?..." starts with y or Y. */
  boolean confirm(List<String> argv) throws IOException {
    if (tty == null) {
      try {
        tty = new BufferedReader(new InputStreamReader(new FileInputStream("/dev/tty"),
            StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        throw new IOException("failed to open /dev/tty for reading: " + e.getMessage(), e);
      }
    }
    printer.prompt(ShellQuote.join(argv) + " ?...");
    String answer = tty.readLine();
    return answer != null && !answer.isEmpty()
        && (answer.charAt(0) == 'y' || answer.charAt(0) == 'Y');
  }
}
