package jpack.input;

/** Input that xargs refuses (an unmatched quote, an item longer than the command line may be). */
public final class InputException extends Exception {
  public InputException(String message) {
    super(message);
  }
}
