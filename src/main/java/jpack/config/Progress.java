package jpack.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the run reports its progress.
 *
 * @param bar a live line on a terminal (--bar)
 * @param lines newline-terminated status lines for batch logs (--progress)
 * @param interval how often --progress prints
 * @param statusFile a JSON file rewritten atomically every few seconds (--status), or null
 */
public record Progress(boolean bar, boolean lines, Duration interval, Path statusFile) {
  public static final Progress NONE = new Progress(false, false, Duration.ofSeconds(60), null);

  public boolean any() {
    return bar || lines || statusFile != null;
  }
}
