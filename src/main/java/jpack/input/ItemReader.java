package jpack.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import jpack.config.InputSpec;

/**
 * Splits an input stream into items exactly as GNU xargs 4.9 does, pulling one token at a time.
 *
 * <p>Items are returned as ISO-8859-1 strings, one char per input byte, so any byte sequence survives
 * the round trip to the child's argv unchanged. In the default mode blanks and newlines separate
 * items and quotes and backslashes escape; with a delimiter (-0, -d) every byte but the delimiter is
 * literal. In replace mode (-I) a whole line is one item. With GNU parallel's input sources
 * ({@link InputSpec#sweep()}) it gives rows instead, from a {@link Sweep}.
 */
public final class ItemReader {
  /** What {@link #next()} found. */
  public enum Token {
    /** An item: read it with {@link #item()}. */
    ITEM,
    /** The end of an input line (for -L); always follows the line's last item. */
    LINE_END,
    /** No more input, or the end-of-file string was seen. */
    EOF,
    /** A sweep's row (GNU parallel's input sources): read it with {@link #row()}. */
    ROW
  }

  private enum State { SPACE, NORM, QUOTE, BACKSLASH }

  private final InputStream in;
  private final int delimiter;
  private final String eofString;
  private final boolean replaceMode;
  private final long maxItemLength;
  private final Consumer<String> warn;
  /** GNU parallel's input sources, or null; the sweep is opened at the first {@link #next()}. */
  private final InputSpec.Sweep sweepSpec;
  private Sweep sweep;
  private List<String> row;

  private final byte[] buf = new byte[64 * 1024];
  private int bufPos;
  private int bufLen;
  private long consumed;

  private byte[] item = new byte[256];
  private int itemLen;
  private String current;
  private boolean eof;
  private boolean pendingLineEnd;
  private boolean nulWarned;
  /** --commands: skip blank and # lines, drop a CR before the newline, count lines. */
  private final boolean commandLines;
  private long lines;
  private long itemLine;
  private boolean crWarned;

  /**
   * @param maxItemLength the longest item in bytes (xargs' "argument line too long" limit)
   * @param warn receives warnings (without the "jpack: " prefix)
   */
  public ItemReader(
      InputStream in, InputSpec spec, boolean replaceMode, long maxItemLength, Consumer<String> warn) {
    this.in = in;
    this.delimiter = spec.framing() instanceof InputSpec.Delimited d ? d.delimiter() : -1;
    this.sweepSpec = spec.sweep();
    this.eofString = spec.quoted() ? spec.eofString() : null;
    this.replaceMode = replaceMode;
    this.commandLines = spec.commandLines();
    this.maxItemLength = maxItemLength;
    this.warn = warn;
  }

  /** The item the last {@link Token#ITEM} carried. */
  public String item() {
    return current;
  }

  /** The row the last {@link Token#ROW} carried. */
  public List<String> row() {
    return row;
  }

  /** A sweep's column names (--header), once the first token was read; else empty. */
  public List<String> names() {
    return sweep == null ? List.of() : sweep.names();
  }

  /** With --commands: the line number (from 1) of the last item. */
  public long itemLine() {
    return itemLine;
  }

  /** How many bytes of the input have been consumed by the tokens returned so far. */
  public long consumed() {
    return consumed;
  }

  public Token next() throws IOException, InputException {
    if (pendingLineEnd) {
      pendingLineEnd = false;
      return Token.LINE_END;
    }
    if (eof) {
      return Token.EOF;
    }
    if (sweepSpec != null) {
      if (sweep == null) {
        sweep = new Sweep(sweepSpec, countingIn(), warn);
      }
      row = sweep.next();
      if (row == null) {
        eof = true;
        return Token.EOF;
      }
      return Token.ROW;
    }
    if (commandLines) {
      return nextCommandLine();
    }
    return delimiter >= 0 ? nextDelimited() : nextQuoted();
  }

  /** --commands: the next line that is not blank nor a comment, as one item. */
  private Token nextCommandLine() throws IOException, InputException {
    while (true) {
      Token t = nextDelimited();
      if (t != Token.ITEM) {
        return t;
      }
      lines++;
      String s = current;
      if (s.endsWith("\r")) {
        s = s.substring(0, s.length() - 1);
        if (!crWarned) {
          crWarned = true;
          warn.accept("warning: --commands: line " + lines + " ends in CR LF (a DOS file):"
              + " the CRs are dropped");
        }
      }
      int i = 0;
      while (i < s.length() && isSpace(s.charAt(i))) {
        i++;
      }
      if (i == s.length() || s.charAt(i) == '#') {
        pendingLineEnd = false; // no task: the line's end goes with it
        continue;
      }
      current = s;
      itemLine = lines;
      return t;
    }
  }

  /** The stream for a :::: - source: what it reads counts as consumed. */
  private InputStream countingIn() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        int c = in.read();
        consumed += c < 0 ? 0 : 1;
        return c;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        consumed += Math.max(0, n);
        return n;
      }
    };
  }

  private int read() throws IOException {
    if (bufPos == bufLen) {
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        return -1;
      }
      bufPos = 0;
      bufLen = n;
    }
    consumed++;
    return buf[bufPos++] & 0xff;
  }

  private void append(int c) throws InputException {
    if (itemLen >= maxItemLength) {
      throw new InputException("argument line too long");
    }
    if (itemLen == item.length) {
      item = Arrays.copyOf(item, item.length * 2);
    }
    item[itemLen++] = (byte) c;
  }

  private String take() {
    String s = new String(item, 0, itemLen, StandardCharsets.ISO_8859_1);
    itemLen = 0;
    return s;
  }

  private Token nextDelimited() throws IOException, InputException {
    while (true) {
      int c = read();
      if (c < 0) {
        eof = true;
        if (itemLen == 0) {
          return Token.EOF;
        }
        current = take();
        return Token.ITEM;
      }
      if (c == delimiter) {
        current = take();
        pendingLineEnd = true;
        return Token.ITEM;
      }
      append(c);
    }
  }

  private static boolean isBlank(int c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isSpace(int c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  // The state of the current line survives between calls: a line yields several items.
  private State state = State.SPACE;
  private int quoteChar;
  private boolean firstOnLine = true;
  private boolean seenArg;

  private void startLine() {
    state = State.SPACE;
    firstOnLine = true;
    seenArg = false;
  }

  private boolean isEofString(String s) {
    return eofString != null && eofString.equals(s);
  }

  /** A C string ends at its first NUL: so does an item that holds one (xargs warns once). */
  private String cString(String s) {
    int nul = s.indexOf('\0');
    return nul < 0 ? s : s.substring(0, nul);
  }

  private Token nextQuoted() throws IOException, InputException {
    while (true) {
      int c = read();
      if (c < 0) {
        eof = true;
        if (itemLen == 0) {
          return Token.EOF; // as GNU xargs: nothing pending, not even an unmatched quote
        }
        if (state == State.QUOTE) {
          throw unmatched();
        }
        String s = take();
        if (firstOnLine && isEofString(s)) {
          return Token.EOF;
        }
        current = cString(s);
        return Token.ITEM;
      }
      switch (state) {
        case SPACE:
          if (isSpace(c)) {
            continue;
          }
          state = State.NORM;
          // fall through
        case NORM:
          if (c == '\n') {
            if (itemLen == 0 && !seenArg) {
              state = State.SPACE; // a blank line
              continue;
            }
            String s = take();
            startLine();
            if (isEofString(s)) {
              eof = true;
              return Token.EOF;
            }
            current = cString(s);
            pendingLineEnd = true;
            return Token.ITEM;
          }
          seenArg = true;
          if (!replaceMode && isBlank(c)) {
            String s = take();
            if (isEofString(s)) {
              eof = true;
              return Token.EOF;
            }
            state = State.SPACE;
            firstOnLine = false;
            current = cString(s);
            return Token.ITEM;
          }
          if (c == '\\') {
            state = State.BACKSLASH;
            continue;
          }
          if (c == '\'' || c == '"') {
            state = State.QUOTE;
            quoteChar = c;
            continue;
          }
          break;
        case QUOTE:
          if (c == '\n') {
            throw unmatched();
          }
          if (c == quoteChar) {
            state = State.NORM;
            seenArg = true;
            continue;
          }
          break;
        case BACKSLASH:
          state = State.NORM;
          break;
        default:
          throw new AssertionError(state);
      }
      if (c == 0 && !nulWarned) {
        nulWarned = true;
        warn.accept(
            "WARNING: a NUL character occurred in the input.  It cannot be passed through in the"
                + " argument list.  Did you mean to use the --null option?");
      }
      append(c);
    }
  }

  private InputException unmatched() {
    return new InputException(
        "unmatched "
            + (quoteChar == '"' ? "double" : "single")
            + " quote; by default quotes are special to xargs unless you use the -0 option");
  }
}
