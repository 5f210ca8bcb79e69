package jpack.exec;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A task's whole process tree, for stopping it: TERM goes to the task and every descendant at
 * once (so each can checkpoint), KILL later to whatever is left, including descendants seen at the
 * first look. A descendant whose parent exited before either look is re-parented away from jpack's
 * tree and cannot be found this way (documented).
 */
public final class ProcessTree {
  private final ProcessHandle root;
  private final Set<ProcessHandle> seen = new LinkedHashSet<>();

  public ProcessTree(ProcessHandle root) {
    this.root = root;
  }

  /** SIGTERM to the task and all its descendants. */
  public void term() {
    look();
    for (ProcessHandle p : seen) {
      p.destroy();
    }
  }

  /** SIGKILL to the task, its descendants now and those seen before. */
  public void kill() {
    look();
    for (ProcessHandle p : seen) {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }

  private void look() {
    if (root.isAlive()) {
      seen.add(root);
      root.descendants().forEach(seen::add);
    }
  }
}
