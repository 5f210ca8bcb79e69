package jpack.app;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Why a file could not be opened, in the words of strerror(3), for jpack's one-line errors. */
final class IoErrors {
  private IoErrors() {}

  /** The reason, naming a missing directory when that is it. */
  static String reason(IOException e, Path file) {
    if (e instanceof NoSuchFileException) {
      Path dir = file.toAbsolutePath().getParent();
      return dir != null && !Files.isDirectory(dir)
          ? "No such file or directory (the directory '" + dir + "' does not exist)"
          : "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
