package jpack.app;

import jpack.config.ExitStatus;

/** Folds what happened into one exit status: the first fatal event wins, then 123, then 0. */
final class Outcome {
  private ExitStatus fatal;
  private boolean taskFailed;

  void fatal(ExitStatus status) {
    if (fatal == null) {
      fatal = status;
    }
  }

  void taskFailed() {
    taskFailed = true;
  }

  ExitStatus status() {
    if (fatal != null) {
      return fatal;
    }
    return taskFailed ? ExitStatus.TASK_FAILED : ExitStatus.OK;
  }
}
