package jpack.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Real memory cgroups for tests (root): v2 where the memory controller is there, else v1. */
public final class TestCgroups {
  private TestCgroups() {}

  /** A new group with this limit and no swap, or null with why in why[0]. */
  public static Path memoryGroup(String name, long limit, String[] why) {
    Path unified = Path.of("/sys/fs/cgroup");
    Path g = null;
    try {
      Path controllers = unified.resolve("cgroup.controllers");
      if (Files.exists(controllers)
          && List.of(Files.readString(controllers).trim().split(" ")).contains("memory")) {
        Files.writeString(unified.resolve("cgroup.subtree_control"), "+memory");
        g = Files.createDirectory(unified.resolve(name));
        Files.writeString(g.resolve("memory.max"), String.valueOf(limit));
        if (Files.exists(g.resolve("memory.swap.max"))) {
          Files.writeString(g.resolve("memory.swap.max"), "0");
        }
      } else if (Files.isDirectory(unified.resolve("memory"))) {
        g = Files.createDirectory(unified.resolve("memory").resolve(name));
        Files.writeString(g.resolve("memory.limit_in_bytes"), String.valueOf(limit));
        if (Files.exists(g.resolve("memory.memsw.limit_in_bytes"))) {
          Files.writeString(g.resolve("memory.memsw.limit_in_bytes"), String.valueOf(limit));
        }
      } else {
        why[0] = "no cgroup hierarchy with the memory controller";
      }
    } catch (IOException e) {
      why[0] = "cannot make a memory cgroup: " + e;
      remove(g);
      g = null;
    }
    return g;
  }

  /** Removes the group (its processes must have ended). */
  public static void remove(Path g) {
    try {
      if (g != null) {
        Files.deleteIfExists(g);
      }
    } catch (IOException e) {
      System.err.println("TestCgroups: " + g + " stays: " + e);
    }
  }

  /** Whether a test that needs a memory cgroup must fail, not skip, without one. */
  public static boolean required() {
    return System.getenv("JPACK_REQUIRE_CGROUPS") != null
        || System.getenv("JPACK_REQUIRE_ROOT") != null;
  }
}
