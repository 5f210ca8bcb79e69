package jpack.command;

import java.util.ArrayList;
import java.util.List;

/**
 * GNU parallel's replacement strings, for --placeholders. A task's input is a row of values (one
 * for an input line; a column each with --colsep, --csv and several input sources):
 * <ul>
 *   <li>{} all the values, {.} each without its extension, {/} each one's basename, {//} its
 *       dirname, {/.} the basename without extension;
 *   <li>{N} the N-th value (from 1; {-N} from the end) and {N.} {N/} {N//} {N/.}; {name} and
 *       {name.} ... the column --header named so;
 *   <li>{#} (seq) and {%} (slot, from 1), left for the run to fill in.
 * </ul>
 * A template with none of them gets the values appended, each its own argument. Where GNU
 * parallel's shell would split (it joins the quoted values of {} with blanks, and a lone {N}
 * past the row's end is no word at all), argv is split the same way, so that the command gets
 * the same arguments. The path forms are GNU parallel's Perl ones: {/} is what follows the last
 * slash ("" for "dir/"), {.} drops a last ".ext" with no slash or dot in it (".bashrc" becomes
 * ""), {//} is File::Basename's dirname.
 */
public final class Placeholders {
  private Placeholders() {}

  /** One input line, the values of the old single-stream mode. */
  public static Command expand(List<String> template, String line) {
    return expand(template, List.of(line), List.of());
  }

  /**
   * @param values the row
   * @param names the --header names of its columns (may be shorter than the row), or empty
   */
  public static Command expand(List<String> template, List<String> values, List<String> names) {
    List<String> argv = new ArrayList<>(template.size() + values.size());
    boolean any = false;
    boolean late = false;
    for (String a : template) {
      if (a.indexOf('{') < 0) {
        argv.add(a);
        continue;
      }
      StringBuilder sb = new StringBuilder();
      boolean solePastEnd = false;
      int tokens = 0;
      int i = 0;
      while (i < a.length()) {
        Token t = a.charAt(i) == '{' ? token(a, i, names) : null;
        if (t == null) {
          sb.append(a.charAt(i++));
          continue;
        }
        any = true;
        tokens++;
        if (t.late) {
          sb.append(a, i, t.end);
          late = true;
        } else if (t.column == ALL) {
          for (int v = 0; v < values.size(); v++) {
            if (v > 0) {
              argv.add(sb.toString()); // GNU parallel's blank between the quoted values
              sb.setLength(0);
            }
            sb.append(form(values.get(v), t.form));
          }
        } else {
          int c = t.column > 0 ? t.column - 1 : values.size() + t.column;
          if (c >= 0 && c < values.size()) {
            sb.append(form(values.get(c), t.form));
          } else {
            solePastEnd = i == 0 && t.end == a.length();
          }
        }
        i = t.end;
      }
      if (!(solePastEnd && tokens == 1)) {
        argv.add(sb.toString());
      }
    }
    if (!any) {
      argv.addAll(values);
    }
    String line = values.size() == 1 ? values.get(0) : String.join(" ", values);
    return new Command(argv, any ? argv.size() : argv.size() - values.size(), line, late,
        List.copyOf(values), names);
  }

  /**
   * One string (--tagstring, --wd) with the replacement strings on values: {} is the values
   * joined by blanks, {#} and {%} are seq and slot (from 1); nothing is appended when it has
   * none.
   */
  public static String text(String template, List<String> values, List<String> names, long seq,
      int slot) {
    if (template.indexOf('{') < 0) {
      return template;
    }
    Command c = expand(List.of(template), values, names);
    List<String> words = c.itemsFrom() == c.argv().size() ? c.argv()
        : c.argv().subList(0, c.itemsFrom());
    return Command.late(String.join(" ", words), seq, slot);
  }

  private static final int ALL = 0;
  private static final String[] FORMS = {"//", "/.", "/", "."};

  /** A replacement string at s[i] ('{'): column (ALL, N, -N), form, end; or null. */
  private record Token(int column, String form, int end, boolean late) {}

  private static Token token(String s, int i, List<String> names) {
    int close = s.indexOf('}', i + 1);
    if (close < 0) {
      return null;
    }
    String in = s.substring(i + 1, close);
    int end = close + 1;
    if (in.equals("#") || in.equals("%")) {
      return new Token(ALL, "", end, true);
    }
    for (int n = 0; n < names.size(); n++) {
      String name = names.get(n);
      if (!name.isEmpty() && in.startsWith(name) && isForm(in.substring(name.length()))) {
        return new Token(n + 1, in.substring(name.length()), end, false);
      }
    }
    int digits = in.startsWith("-") ? 1 : 0;
    int j = digits;
    while (j < in.length() && Character.isDigit(in.charAt(j))) {
      j++;
    }
    if (j == digits) {
      return isForm(in) ? new Token(ALL, in, end, false) : null;
    }
    String rest = in.substring(j);
    if (!isForm(rest) || j - digits > 9) {
      return null;
    }
    int column = Integer.parseInt(in.substring(0, j));
    return column == 0 ? null : new Token(column, rest, end, false);
  }

  private static boolean isForm(String f) {
    if (f.isEmpty()) {
      return true;
    }
    for (String x : FORMS) {
      if (x.equals(f)) {
        return true;
      }
    }
    return false;
  }

  private static String form(String v, String form) {
    switch (form) {
      case "": return v;
      case ".": return noExtension(v);
      case "/": return basename(v);
      case "//": return dirname(v);
      case "/.": return noExtension(basename(v));
      default: throw new AssertionError(form);
    }
  }

  /** GNU parallel's {/}: s:.*&#47;:: (what follows the last slash). */
  static String basename(String p) {
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** GNU parallel's {//}: Perl's File::Basename::dirname. */
  static String dirname(String p) {
    String d = fileparseDir(p);
    String base = p.substring(d.length());
    d = stripTrailingSlashes(d);
    if (base.isEmpty()) {
      String d2 = fileparseDir(d);
      d = stripTrailingSlashes(d2);
    }
    return d;
  }

  /** The directory part of Perl's fileparse: up to the last slash, or "./". */
  private static String fileparseDir(String p) {
    int slash = p.lastIndexOf('/');
    return slash < 0 ? "./" : p.substring(0, slash + 1);
  }

  /** Perl's s{(.)/*\z}{$1}s: trailing slashes go, but a first character stays. */
  private static String stripTrailingSlashes(String d) {
    int end = d.length();
    while (end > 1 && d.charAt(end - 1) == '/') {
      end--;
    }
    return d.substring(0, end);
  }

  /** GNU parallel's {.}: s:\.[^/.]*$:: (a last ".ext" without a slash or dot in it). */
  static String noExtension(String p) {
    int dot = p.lastIndexOf('.');
    if (dot < 0) {
      return p;
    }
    for (int i = dot + 1; i < p.length(); i++) {
      if (p.charAt(i) == '/') {
        return p;
      }
    }
    return p.substring(0, dot);
  }
}
