package jpack.config;

/**
 * How many tasks run at once, as asked: -P N, -P 0 (as many as the input and the limits allow),
 * or nothing (what the allocation grants: its CPUs, memory and GPUs per task).
 */
public record Concurrency(Kind kind, int tasks) {
  /** Which of the three it is. */
  public enum Kind {
    /** -P not given: from the allocation. */
    ALLOCATION,
    /** -P 0: no limit of its own. */
    UNLIMITED,
    /** -P N. */
    FIXED
  }

  public static final Concurrency FROM_ALLOCATION = new Concurrency(Kind.ALLOCATION, 0);
  public static final Concurrency UNLIMITED = new Concurrency(Kind.UNLIMITED, 0);

  public Concurrency {
    if ((kind == Kind.FIXED) != (tasks > 0)) {
      throw new IllegalArgumentException(kind + " with " + tasks + " tasks");
    }
  }

  /** -P n: 0 is no limit. */
  public static Concurrency of(long n) {
    return n == 0 ? UNLIMITED : new Concurrency(Kind.FIXED, (int) Math.min(n, Integer.MAX_VALUE));
  }

  public boolean fromAllocation() {
    return kind == Kind.ALLOCATION;
  }

  /** The most tasks at once it allows: N for -P N, else Integer.MAX_VALUE (no cap of its own). */
  public int cap() {
    return kind == Kind.FIXED ? tasks : Integer.MAX_VALUE;
  }

  /** As -P would say it: "4", "0", or "not given". */
  @Override
  public String toString() {
    return switch (kind) {
      case FIXED -> String.valueOf(tasks);
      case UNLIMITED -> "0";
      case ALLOCATION -> "not given";
    };
  }
}
