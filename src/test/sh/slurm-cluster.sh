#!/bin/sh
# Starts (or reuses) a one-node Slurm cluster for the integration tests: munged, slurmctld and
# slurmd as root, state and logs under $DIR, configured by $DIR/slurm.conf (use SLURM_CONF=that).
# Usage: slurm-cluster.sh start|stop [DIR]. Prints the slurm.conf path on success.
set -eu
cmd=${1:-start}
DIR=${2:-/tmp/jpack-slurm}
conf=$DIR/slurm.conf
export SLURM_CONF=$conf

stop() {
  for p in slurmd slurmctld; do
    [ -f "$DIR/$p.pid" ] && kill "$(cat "$DIR/$p.pid")" 2>/dev/null || true
  done
}

if [ "$cmd" = stop ]; then stop; exit 0; fi

if [ -f "$conf" ] && timeout 10 sinfo -h -o %T 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then
  echo "$conf"; exit 0
fi
stop
mkdir -p "$DIR/state" "$DIR/spool" /run/munge /var/log/munge /var/lib/munge
host=$(hostname -s)
cpus=$(nproc)
memmb=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)

# munge: one key, one daemon
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
fi
chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key
if ! munge -n </dev/null >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged 2>/dev/null || /usr/sbin/munged --force
  for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
fi

cat > "$conf" <<CONF
ClusterName=jpack
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MaxArraySize=10001
SlurmdTimeout=300
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus RealMemory=$memmb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
: > "$DIR/cgroup.conf"

/usr/sbin/slurmctld -f "$conf"
/usr/sbin/slurmd -f "$conf"
for _ in $(seq 150); do
  if timeout 5 sinfo -h -o %T 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then
    echo "$conf"; exit 0
  fi
  sleep 0.2
done
echo "slurm-cluster.sh: the node did not come up; see $DIR/slurmctld.log and $DIR/slurmd.log" >&2
tail -5 "$DIR/slurmctld.log" "$DIR/slurmd.log" >&2 || true
exit 1
