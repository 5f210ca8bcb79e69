package jpack.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosingTest {
  @Test
  void aStepThatThrowsSkipsNoneOfTheOthersAndTheFirstFailureIsThrown() {
    List<String> closed = new ArrayList<>();
    IOException e = assertThrows(IOException.class, () -> new Closing()
        .then(() -> closed.add("output"))
        .then(() -> {
          throw new IOException("spool: cannot delete");
        })
        .then(() -> closed.add("job log"))
        .then(() -> {
          throw new IllegalStateException("helper");
        })
        .then(() -> closed.add("workers"))
        .then(() -> closed.add("watchdog"))
        .run());
    assertEquals(List.of("output", "job log", "workers", "watchdog"), closed);
    assertEquals("spool: cannot delete", e.getMessage());
    assertEquals(1, e.getSuppressed().length);
  }
}
