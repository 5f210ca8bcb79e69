package jpack.command;

/** A command line that cannot be built within the size limit (-s, -x). */
public final class CommandLineException extends Exception {
  public CommandLineException(String message) {
    super(message);
  }
}
