package jpack.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where tasks run when jpack drives other hosts, and how it starts a task there.
 *
 * @param hostfile --hostfile: one host per line, repeated once per slot (PBS_NODEFILE), or
 *     {@code N/host} and {@code host:N} lines; null when not given
 * @param list --hosts entries ({@code host}, {@code host:N}, {@code N/host}); empty when not given
 * @param auto --hosts auto: the batch job's own nodes (PBS_NODEFILE, or Slurm's node list)
 * @param launch how a task starts on its host
 * @param template the words of a --launcher command template (TEMPLATE only, else empty)
 * @param env --env: more variables of jpack's environment that remote tasks get
 */
public record Hosts(Path hostfile, List<String> list, boolean auto, Launch launch,
    List<String> template, List<String> env) {

  /** How a task starts on its host. */
  public enum Launch {
    /** {@code ssh -o BatchMode=yes -x HOST 'script'}; exit 255 means ssh failed. */
    SSH,
    /** {@code srun --nodes=1 --ntasks=1 --exact --nodelist=HOST argv}: each task a job step. */
    SRUN,
    /** {@code pbsdsh -n INDEX -- /bin/sh -c 'script'} (PBS/Torque TM interface). */
    PBSDSH,
    /** The user's words, then the host (or in place of {host}), then the script, as ssh. */
    TEMPLATE
  }

  public Hosts {
    list = List.copyOf(list);
    template = List.copyOf(template);
    env = List.copyOf(env);
  }

  /** Whether a launch that exits 255 means the launcher, not the task, failed (ssh's rule). */
  public boolean exit255IsLaunchFailure() {
    return launch == Launch.SSH || launch == Launch.TEMPLATE;
  }
}
