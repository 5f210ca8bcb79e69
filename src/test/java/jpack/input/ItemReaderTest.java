package jpack.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jpack.config.InputSpec;
import org.junit.jupiter.api.Test;

class ItemReaderTest {
  private final List<String> warnings = new ArrayList<>();

  /** Items, with "|" for a line end, as one list. */
  private List<String> tokens(String input, int delimiter, String eof, boolean replace)
      throws Exception {
    ItemReader r = new ItemReader(
        new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)),
        new InputSpec(null, framing(delimiter), eof), replace, 1000, warnings::add);
    List<String> out = new ArrayList<>();
    for (ItemReader.Token t = r.next(); t != ItemReader.Token.EOF; t = r.next()) {
      out.add(t == ItemReader.Token.ITEM ? r.item() : "|");
    }
    return out;
  }

  /** -1: xargs' blanks and quotes; else the delimiter byte. */
  private static InputSpec.Framing framing(int delimiter) {
    return delimiter < 0 ? InputSpec.BLANKS : new InputSpec.Delimited(delimiter);
  }

  private List<String> quoted(String input) throws Exception {
    return tokens(input, -1, null, false);
  }

  @Test
  void blanksAndNewlinesSeparateItems() throws Exception {
    assertEquals(List.of("a", "b", "|", "c", "|"), quoted("a  b\n\n\t c\n"));
  }

  @Test
  void quotesAndBackslashesEscape() throws Exception {
    assertEquals(List.of("a b", "c\"d", "e f", "|"), quoted("'a b' 'c\"d' e\\ f\n"));
    assertEquals(List.of("x\ny", "|"), quoted("x\\\ny\n"));
  }

  @Test
  void emptyQuotedItemIsAnItem() throws Exception {
    assertEquals(List.of("", "x", "|", "", "|"), quoted("'' x\n''\n"));
  }

  @Test
  void trailingBlankContinuesTheLine() throws Exception {
    assertEquals(List.of("a", "b", "|"), quoted("a \nb\n"));
  }

  @Test
  void formFeedAndVerticalTabAreNotSeparators() throws Exception {
    assertEquals(List.of("a\u000b", "b", "|"), quoted("\f a\u000b b\n"));
  }

  @Test
  void unmatchedQuoteIsAnErrorAfterWhatCameBefore() throws Exception {
    ItemReader r = new ItemReader(
        new ByteArrayInputStream("one\n\"two\n".getBytes(StandardCharsets.ISO_8859_1)),
        new InputSpec(null, InputSpec.BLANKS, null), false, 1000, warnings::add);
    assertEquals(ItemReader.Token.ITEM, r.next());
    assertEquals("one", r.item());
    assertEquals(ItemReader.Token.LINE_END, r.next());
    InputException e = assertThrows(InputException.class, r::next);
    assertTrue(e.getMessage().startsWith("unmatched double quote"), e.getMessage());
  }

  @Test
  void eofStringEndsTheInput() throws Exception {
    assertEquals(List.of("a", "b"), tokens("a b _ c\nd\n", -1, "_", false));
    assertEquals(List.of(), tokens("_\na\n", -1, "_", false));
  }

  @Test
  void delimitedItemsAreLiteral() throws Exception {
    assertEquals(List.of("a 'b'", "|", "", "|", "c\\", "|", "d"),
        tokens("a 'b'\0\0c\\\0d", 0, null, false));
    assertEquals(List.of("hell", "|", " w", "|", "rld\n"), tokens("hello world\n", 'o', null, false));
  }

  @Test
  void replaceModeKeepsBlanksButStripsLeadingSpace() throws Exception {
    assertEquals(List.of("a  b ", "|", "c", "|"), tokens("  a  b \n\n c\n", -1, null, true));
  }

  @Test
  void everyByteSurvives() throws Exception {
    StringBuilder all = new StringBuilder();
    for (int b = 0x80; b <= 0xff; b++) {
      all.append((char) b);
    }
    assertEquals(List.of(all.toString(), "|"), tokens(all + "\0", 0, null, false));
  }

  @Test
  void nulInQuotedModeWarnsOnceAndEndsTheItem() throws Exception {
    assertEquals(List.of("x", "z", "|"), quoted("x\0y z\0\n"));
    assertEquals(1, warnings.size());
  }

  @Test
  void tooLongItemIsRefused() throws Exception {
    ItemReader r = new ItemReader(
        new ByteArrayInputStream("abcdef\n".getBytes(StandardCharsets.ISO_8859_1)),
        new InputSpec(null, InputSpec.BLANKS, null), false, 5, warnings::add);
    InputException e = assertThrows(InputException.class, r::next);
    assertEquals("argument line too long", e.getMessage());
  }

  @Test
  void commandLinesSkipBlanksAndCommentsAndKeepTheirLineNumbers() throws Exception {
    ItemReader r = new ItemReader(new ByteArrayInputStream(("# c\necho 'a b'\r\n\n  \n"
        + "\t# x\nls | wc -l").getBytes(StandardCharsets.ISO_8859_1)),
        new InputSpec(null, InputSpec.LINES, null, true, null), false, 1000, warnings::add);
    List<String> out = new ArrayList<>();
    for (ItemReader.Token t = r.next(); t != ItemReader.Token.EOF; t = r.next()) {
      out.add(t == ItemReader.Token.ITEM ? r.item() + "@" + r.itemLine() : "|");
    }
    assertEquals(List.of("echo 'a b'@2", "|", "ls | wc -l@6"), out);
    assertEquals(1, warnings.size(), warnings.toString());
  }
}
