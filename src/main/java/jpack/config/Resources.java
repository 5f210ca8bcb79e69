package jpack.config;

import java.util.Map;

/**
 * What each task needs, and how the run is split over a job array.
 *
 * @param defaultProcs -P was not given: tasks at once come from the allocation
 * @param cpusPerTask CPUs per task (--cpus-per-task; also OMP_NUM_THREADS), 1 by default
 * @param memPerTask bytes per task (--mem-per-task SIZE), or 0
 * @param memAuto --mem-per-task auto: as many at once as the peaks of the tasks so far fit
 * @param gpusPerTask GPU devices per task (--gpus-per-task), or 0
 * @param shard this run's part, from 1 (--shard K/N), or 0 for the whole input
 * @param shards how many parts, or 0
 */
public record Resources(boolean defaultProcs, int cpusPerTask, long memPerTask, int gpusPerTask,
    long shard, long shards, boolean memAuto) {

  public static final Resources NONE = new Resources(false, 1, 0, 0, 0, 0);

  public Resources(boolean defaultProcs, int cpusPerTask, long memPerTask, int gpusPerTask,
      long shard, long shards) {
    this(defaultProcs, cpusPerTask, memPerTask, gpusPerTask, shard, shards, false);
  }

  /** What a task of this shard gets in its environment: JPACK_SHARD=K/N, or nothing. */
  public Map<String, String> shardEnv() {
    return shards == 0 ? Map.of() : Map.of("JPACK_SHARD", shard + "/" + shards);
  }

  /** Whether task number seq (from 1) belongs to this run's shard. */
  public boolean mine(long seq) {
    return shards == 0 || (seq - 1) % shards == shard - 1;
  }
}
