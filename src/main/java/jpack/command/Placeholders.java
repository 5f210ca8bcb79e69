package jpack.command;

import java.util.ArrayList;
import java.util.List;

/**
 * GNU parallel's replacement strings, for --placeholders: {} the line, {.} without its extension,
 * {/} its basename, {//} its dirname, {/.} the basename without extension; {#} (seq) and {%} (slot,
 * from 1) are left for the run to fill in. A template with none of them gets the line appended.
 */
public final class Placeholders {
  private Placeholders() {}

  public static Command expand(List<String> template, String line) {
    List<String> argv = new ArrayList<>(template.size() + 1);
    boolean any = false;
    boolean late = false;
    for (String a : template) {
      if (a.indexOf('{') < 0) {
        argv.add(a);
        continue;
      }
      StringBuilder sb = new StringBuilder();
      int i = 0;
      while (i < a.length()) {
        String token = tokenAt(a, i);
        if (token == null) {
          sb.append(a.charAt(i++));
          continue;
        }
        any = true;
        switch (token) {
          case "{}": sb.append(line); break;
          case "{.}": sb.append(noExtension(line)); break;
          case "{/}": sb.append(basename(line)); break;
          case "{//}": sb.append(dirname(line)); break;
          case "{/.}": sb.append(noExtension(basename(line))); break;
          default: // {#} and {%}
            sb.append(token);
            late = true;
        }
        i += token.length();
      }
      argv.add(sb.toString());
    }
    if (!any) {
      argv.add(line);
    }
    return new Command(argv, any ? argv.size() : argv.size() - 1, line, late);
  }

  private static final String[] TOKENS = {"{//}", "{/.}", "{}", "{.}", "{/}", "{#}", "{%}"};

  private static String tokenAt(String s, int i) {
    for (String t : TOKENS) {
      if (s.startsWith(t, i)) {
        return t;
      }
    }
    return null;
  }

  static String basename(String p) {
    String s = p;
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    int slash = s.lastIndexOf('/');
    return slash < 0 || s.equals("/") ? s : s.substring(slash + 1);
  }

  static String dirname(String p) {
    int slash = p.lastIndexOf('/');
    if (slash < 0) {
      return ".";
    }
    return slash == 0 ? "/" : p.substring(0, slash);
  }

  static String noExtension(String p) {
    int dot = p.lastIndexOf('.');
    int slash = p.lastIndexOf('/');
    return dot > slash + 1 ? p.substring(0, dot) : p;
  }
}
