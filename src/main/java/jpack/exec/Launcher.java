package jpack.exec;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;
import java.util.Map;

/**
 * Starts one task as a direct child (PATH search like execvp, never a shell). The child's stdin is
 * /dev/null unless told otherwise, so it never eats jpack's own input.
 */
public final class Launcher {
  private final Redirect stdin;
  private final File dir;

  /**
   * @param stdin what every child reads
   * @param dir the working directory of the children, or null for jpack's
   */
  public Launcher(Redirect stdin, File dir) {
    this.stdin = stdin;
    this.dir = dir;
  }

  /** Starts argv with these variables added to jpack's environment (none: inherited as is). */
  public Process start(List<String> argv, Map<String, String> env, Redirect out, Redirect err)
      throws LaunchException {
    return start(argv, env, out, err, null);
  }

  /** As above, in taskDir (--wd) when it is not null, else in the launcher's directory. */
  public Process start(List<String> argv, Map<String, String> env, Redirect out, Redirect err,
      File taskDir) throws LaunchException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(stdin).redirectOutput(out)
        .redirectError(err);
    if (taskDir != null) {
      pb.directory(taskDir);
    } else if (dir != null) {
      pb.directory(dir);
    }
    if (!env.isEmpty()) {
      pb.environment().putAll(env);
    }
    try {
      return pb.start();
    } catch (IOException e) {
      throw translate(argv.get(0), e);
    }
  }

  /** Turns the JDK's "error=N, text" into xargs' kinds and messages ("CMD: No such file..."). */
  static LaunchException translate(String program, IOException e) {
    String msg = String.valueOf(e.getMessage());
    // "Cannot run program "x": error=2, No such file or directory" (no regex: it loads ~30
    // classes, and this class is on every run's path)
    int at = msg.indexOf("error=");
    int comma = at < 0 ? -1 : msg.indexOf(", ", at);
    int errno = -1;
    if (comma > at + 6) {
      try {
        errno = Integer.parseInt(msg.substring(at + 6, comma));
      } catch (NumberFormatException notAnErrno) {
        errno = -1;
      }
    }
    if (errno < 0) {
      return new LaunchException(LaunchException.Kind.CANNOT_RUN, program + ": " + msg, e);
    }
    String text = program + ": " + msg.substring(comma + 2);
    LaunchException.Kind kind;
    switch (errno) {
      case 2: // ENOENT
      case 20: // ENOTDIR
        kind = LaunchException.Kind.NOT_FOUND;
        break;
      case 11: // EAGAIN
      case 12: // ENOMEM
        kind = LaunchException.Kind.RESOURCES;
        break;
      default:
        kind = LaunchException.Kind.CANNOT_RUN;
    }
    return new LaunchException(kind, text, e);
  }
}
