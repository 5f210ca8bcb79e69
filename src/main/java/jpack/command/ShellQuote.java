package jpack.command;

import java.util.List;

/**
 * Quotes arguments for -t the way GNU xargs prints them (gnulib's shell-escape quoting in the C
 * locale): plain words stay bare, others go in single quotes, control characters and bytes above
 * 0x7f become $'\n'-style escapes, and a word whose only problem is a single quote goes in double
 * quotes.
 */
public final class ShellQuote {
  private ShellQuote() {}

  public static String join(List<String> argv) {
    StringBuilder sb = new StringBuilder();
    for (String a : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      quote(a, sb);
    }
    return sb.toString();
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    quote(s, sb);
    return sb.toString();
  }

  private static boolean isSafe(char c, int pos) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    switch (c) {
      case '%': case '+': case ',': case '-': case '.': case '/': case ':': case '@': case '_':
      case ']': case '{': case '}':
        return true;
      case '#': case '~':
        return pos > 0;
      default:
        return false;
    }
  }

  private static boolean isControl(char c) {
    return c < 0x20 || c >= 0x7f;
  }

  private static void quote(String s, StringBuilder sb) {
    if (s.isEmpty()) {
      sb.append("''");
      return;
    }
    boolean plain = true;
    boolean control = false;
    boolean singleQuote = false;
    boolean doubleQuotable = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isControl(c)) {
        control = true;
        plain = false;
      } else if (c == '\'') {
        singleQuote = true;
        plain = false;
      } else if (!isSafe(c, i)) {
        plain = false;
        if (c == '"' || c == '$' || c == '`' || c == '\\' || c == '!') {
          doubleQuotable = false;
        }
      }
    }
    if (plain) {
      sb.append(s);
      return;
    }
    if (singleQuote && !control && doubleQuotable) {
      sb.append('"').append(s).append('"');
      return;
    }
    boolean inEscape = false;
    sb.append('\'');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isControl(c)) {
        if (!inEscape) {
          sb.append("'$'");
          inEscape = true;
        }
        escape(c, sb);
        continue;
      }
      if (inEscape) {
        sb.append("''");
        inEscape = false;
      }
      if (c == '\'') {
        sb.append("'\\''");
      } else {
        sb.append(c);
      }
    }
    sb.append('\'');
  }

  private static void escape(char c, StringBuilder sb) {
    switch (c) {
      case 7: sb.append("\\a"); break;
      case '\b': sb.append("\\b"); break;
      case '\f': sb.append("\\f"); break;
      case '\n': sb.append("\\n"); break;
      case '\r': sb.append("\\r"); break;
      case '\t': sb.append("\\t"); break;
      case 11: sb.append("\\v"); break;
      default:
        sb.append('\\').append((char) ('0' + ((c >> 6) & 7)))
            .append((char) ('0' + ((c >> 3) & 7))).append((char) ('0' + (c & 7)));
    }
  }
}
