package jpack.app;

import java.util.BitSet;
import java.util.List;
import jpack.config.Concurrency;
import jpack.config.Host;
import jpack.site.AllocationProbe;

/**
 * The slots of a run over several hosts: which host each slot is on and its number there, spread
 * over the hosts in turn (so the lowest free slot balances them), and the hosts still in use. A
 * host whose launches fail {@value #DROP_AFTER} times in a row is dropped with its slots.
 */
final class HostSlots {
  static final int DROP_AFTER = 3;

  private final List<Host> hosts;
  private final int[] hostOf;
  private final int[] localOf;
  private final int[] failuresInARow;
  private final boolean[] dropped;
  private final boolean[] proven;
  private int alive;

  HostSlots(List<Host> hosts, Concurrency procs, int cpusPerTask) {
    this.hosts = List.copyOf(hosts);
    int[] perHost = perHost(hosts, procs, cpusPerTask);
    int total = 0;
    int most = 0;
    for (int n : perHost) {
      total += n;
      most = Math.max(most, n);
    }
    hostOf = new int[total];
    localOf = new int[total];
    int slot = 0;
    for (int local = 0; local < most; local++) {
      for (int h = 0; h < perHost.length; h++) {
        if (local < perHost[h]) {
          hostOf[slot] = h;
          localOf[slot++] = local;
        }
      }
    }
    failuresInARow = new int[hosts.size()];
    dropped = new boolean[hosts.size()];
    proven = new boolean[hosts.size()];
    alive = total;
  }

  /**
   * Tasks at once on each host: its own count (cores, so divided by --cpus-per-task) or, where
   * the list gives none, -P or this node's CPUs; -P caps every host.
   */
  static int[] perHost(List<Host> hosts, Concurrency procs, int cpusPerTask) {
    int cap = procs.cap();
    int localCpus = -1;
    int[] n = new int[hosts.size()];
    for (int i = 0; i < n.length; i++) {
      int cores = hosts.get(i).slots();
      int slots;
      if (cores > 0) {
        slots = Math.max(1, cores / cpusPerTask);
      } else if (cap != Integer.MAX_VALUE) {
        slots = cap;
      } else {
        if (localCpus < 0) {
          localCpus = AllocationProbe.probe(System.getenv()).cpus();
        }
        slots = Math.max(1, localCpus / cpusPerTask);
      }
      n[i] = Math.min(slots, cap);
    }
    return n;
  }

  /** "n1 (2), n2 (4)": the hosts and their slots, for --show-allocation. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    for (int h = 0; h < hosts.size(); h++) {
      sb.append(h == 0 ? "" : ", ").append(hosts.get(h).name()).append(" (")
          .append(slotsOn(h)).append(')');
    }
    return sb.toString();
  }

  /** All slots, dropped hosts' included. */
  int size() {
    return hostOf.length;
  }

  /** The slots of the hosts still in use. */
  int alive() {
    return alive;
  }

  int hostOf(int slot) {
    return hostOf[slot];
  }

  Host host(int h) {
    return hosts.get(h);
  }

  /** The slot's number on its host, from 0 (the task's JPACK_SLOT). */
  int localSlot(int slot) {
    return localOf[slot];
  }

  /**
   * A slot not in busy, not on a dropped host, nor on host avoid while another host is in use;
   * -1 when there is none now.
   */
  int free(BitSet busy, int avoid) {
    boolean elsewhere = avoid >= 0 && alive > slotsOn(avoid);
    for (int s = busy.nextClearBit(0); s < hostOf.length; s = busy.nextClearBit(s + 1)) {
      int h = hostOf[s];
      if (!dropped[h] && !(elsewhere && h == avoid)) {
        return s;
      }
    }
    return -1;
  }

  /** Whether slots of hosts other than h are in use. */
  boolean othersAlive(int h) {
    return alive > slotsOn(h);
  }

  /** A launch on host h worked. */
  void launched(int h) {
    failuresInARow[h] = 0;
    proven[h] = true;
  }

  /** Whether a launch on host h ever worked: an exit 255 there may be the task's own. */
  boolean proven(int h) {
    return proven[h];
  }

  /** A launch on host h failed; returns whether that dropped the host. */
  boolean launchFailed(int h) {
    if (++failuresInARow[h] < DROP_AFTER || dropped[h]) {
      return false;
    }
    alive -= slotsOn(h);
    dropped[h] = true;
    return true;
  }

  private int slotsOn(int h) {
    if (dropped[h]) {
      return 0;
    }
    int n = 0;
    for (int host : hostOf) {
      if (host == h) {
        n++;
      }
    }
    return n;
  }
}
