package jpack.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected strings are GNU xargs 4.9's -t output (see also the differential IT). */
class ShellQuoteTest {
  @Test
  void plainWordsStayBare() {
    assertEquals("echo a/b.c-d_e:f", ShellQuote.join(List.of("echo", "a/b.c-d_e:f")));
  }

  @Test
  void blanksAndQuotes() {
    assertEquals("'hel lo'", ShellQuote.quote("hel lo"));
    assertEquals("'20\"0'", ShellQuote.quote("20\"0"));
    assertEquals("\"30'0\"", ShellQuote.quote("30'0"));
    assertEquals("''", ShellQuote.quote(""));
  }

  @Test
  void controlCharactersUseDollarQuotes() {
    assertEquals("'40'$'\\n''0'", ShellQuote.quote("40\n0"));
    assertEquals("''$'\\n'' '$'\\f\\r\\t\\v\\n'", ShellQuote.quote("\n \f\r\t\u000b\n"));
    assertEquals("'caf'$'\\351'", ShellQuote.quote("caf\u00e9"));
  }
}
