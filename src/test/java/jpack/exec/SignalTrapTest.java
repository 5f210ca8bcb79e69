package jpack.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SignalTrapTest {
  /** USR2 is taken only when HotSpot suspends threads with another signal (it takes 13-64). */
  @Test
  void usr2IsTakenOnlyWhenTheSuspendSignalMoved() {
    assertTrue(SignalTrap.suspendSignalMoved("39"));
    assertTrue(SignalTrap.suspendSignalMoved("64"));
    assertFalse(SignalTrap.suspendSignalMoved(null));
    assertFalse(SignalTrap.suspendSignalMoved(""));
    assertFalse(SignalTrap.suspendSignalMoved("12"));
    assertFalse(SignalTrap.suspendSignalMoved("5"));
    assertFalse(SignalTrap.suspendSignalMoved("65"));
    assertFalse(SignalTrap.suspendSignalMoved("USR1"));
  }
}
