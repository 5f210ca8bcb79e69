package jpack.exec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Private directories for Unix sockets (ssh's control sockets, the spawn helper's). */
final class PrivateDirs {
  /**
   * Unix socket paths are limited to 107 bytes, and ssh first binds a temporary name 17 bytes
   * longer than its control path: a directory longer than this goes to /tmp instead.
   */
  static final int MAX_DIR_LENGTH = 80;

  private PrivateDirs() {}

  /**
   * A new directory only this user can use, under parent (under /tmp when that path would be too
   * long for a socket in it), named prefix, the pid and the clock (no SecureRandom to seed, as
   * Files.createTempDirectory would: that alone loads 150 classes).
   */
  static Path create(Path parent, String prefix) throws IOException {
    long pid = ProcessHandle.current().pid();
    for (int attempt = 0; ; attempt++) {
      String name = prefix + pid + "-" + Long.toHexString(System.nanoTime() & 0xffffffL);
      Path d = parent.resolve(name);
      if (d.toString().length() > MAX_DIR_LENGTH) {
        d = Path.of("/tmp", name);
      }
      try {
        return Files.createDirectory(d, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }
}
