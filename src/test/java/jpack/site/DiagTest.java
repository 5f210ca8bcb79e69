package jpack.site;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiagTest {
  @Test
  void jpackLogDebugAsksForDiagnostics() {
    assertTrue(Diag.asked("debug"));
    assertTrue(Diag.asked("DEBUG"));
    assertFalse(Diag.asked(null));
    assertFalse(Diag.asked(""));
    assertFalse(Diag.asked("off"));
  }
}
