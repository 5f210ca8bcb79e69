package jpack.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * jpack's own memory cgroup (v2 or v1, as {@link Cgroups} finds it): how many of its processes the
 * kernel's OOM killer has killed, and the memory limit over it. jpack's local tasks live in the
 * group jpack is in (unless they move themselves), so a task that dies by SIGKILL while the
 * counter rises was, all but surely, killed for lack of memory.
 *
 * <p>The counter is the "oom_kill" line of the group's v2 memory.events (kills in the group and
 * its descendants) or v1 memory.oom_control (kills of the group's own processes: v1 does not add
 * a child group's kills to its parent), whether the kill came from the group's limit, an
 * ancestor's, or the whole machine running out. Without such a file (no memory controller, jpack
 * in the v2 root group) it is /proc/vmstat's oom_kill, which counts kills on the whole node:
 * {@link #nodeWide()} then says so. The kernel raises the count before it sends the victim its
 * SIGKILL (mm/oom_kill.c: "Raise event before sending signal: task reaper must see this"), so a
 * count read once the death is seen includes it. Reading it opens one small file, some
 * microseconds: meant for each death by SIGKILL, not for every task.
 */
public final class MemoryCgroup {
  private final Path counter;
  private final boolean nodeWide;
  private final Cgroups.Limit limit;

  private MemoryCgroup(Path counter, boolean nodeWide, Cgroups.Limit limit) {
    this.counter = counter;
    this.nodeWide = nodeWide;
    this.limit = limit;
  }

  /** This process's (jpack's) memory group. */
  public static MemoryCgroup own() {
    return of(Path.of("/"), "self");
  }

  /** The memory group of another process (one that moved into a group of its own, a test's). */
  public static MemoryCgroup ofProcess(long pid) {
    return of(Path.of("/"), Long.toString(pid));
  }

  /** Against another root (tests: fake /proc and /sys trees); proc is "self" or a pid. */
  static MemoryCgroup of(Path root, String proc) {
    Cgroups groups = Cgroups.of(root, proc);
    Path file = groups.oomEvents();
    boolean node = false;
    if (file == null) {
      Path vmstat = root.resolve("proc/vmstat");
      if (count(vmstat).isPresent()) {
        file = vmstat;
        node = true;
      }
    }
    return new MemoryCgroup(file, node, groups.memory());
  }

  /** The number of OOM kills counted so far; empty when this system does not count them. */
  public OptionalLong oomKills() {
    return counter == null ? OptionalLong.empty() : count(counter);
  }

  /**
   * Whether the count is now above before (a count {@link #oomKills} gave earlier); false when it
   * cannot be read, or before is empty.
   */
  public boolean oomKilledSince(OptionalLong before) {
    if (before.isEmpty()) {
      return false;
    }
    OptionalLong now = oomKills();
    return now.isPresent() && now.getAsLong() > before.getAsLong();
  }

  /** The file the count is read from, or null when there is none. */
  public String counterFile() {
    return counter == null ? null : counter.toString();
  }

  /** Whether the count is the whole node's (/proc/vmstat), not the group's. */
  public boolean nodeWide() {
    return nodeWide;
  }

  /**
   * The tightest memory limit on the group and its ancestors, in bytes (v2 memory.max, v1
   * memory.limit_in_bytes and hierarchical_memory_limit); empty when none is set.
   */
  public OptionalLong limitBytes() {
    return limit == null ? OptionalLong.empty() : OptionalLong.of(limit.value());
  }

  /** The file that limit was read from, or null. */
  public String limitFile() {
    return limit == null ? null : limit.file();
  }

  /** The number on the file's "oom_kill N" line. */
  private static OptionalLong count(Path file) {
    String text;
    try {
      text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    int at = text.startsWith("oom_kill ") ? 0 : text.indexOf("\noom_kill ") + 1;
    if (at == 0 && !text.startsWith("oom_kill ")) {
      return OptionalLong.empty();
    }
    int from = at + "oom_kill ".length();
    int to = text.indexOf('\n', from);
    long n = AllocationProbe.number(text.substring(from, to < 0 ? text.length() : to));
    return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
  }
}
