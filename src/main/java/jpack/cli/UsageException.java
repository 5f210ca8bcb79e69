package jpack.cli;

/** A bad option or value: reported as one line plus a pointer to --help, exit status 1. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
