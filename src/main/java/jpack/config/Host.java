package jpack.config;

/**
 * One host tasks run on.
 *
 * @param name the host name as given (what ssh or srun is told)
 * @param slots tasks at once there, or 0 when the host list did not say
 * @param index the host's position in the batch system's node file (the first line naming it),
 *     for pbsdsh -n
 */
public record Host(String name, int slots, int index) {}
