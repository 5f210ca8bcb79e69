#!/usr/bin/env bash
# Plan a pack from a pilot run, write its job script, run it, and see how it went: the
# walk-through of --plan and --report, on this machine in about half a minute
# (bash examples/plan-and-report.sh from the project directory; its files go to $WORK).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${WORK:-${TMPDIR:-/tmp}/jpack-plan-and-report}
rm -rf "$WORK" && mkdir -p "$WORK"
seq 400 >"$WORK/tasks.txt"          # 400 tasks: one argument a line
cat >"$WORK/sim.sh" <<'SH'
#!/bin/sh
# a stand-in simulation: 0.1-0.8 s, and every 37th fails
sleep "0.$(( $1 * 7 % 8 + 1 ))"
[ $(( $1 % 37 )) -ne 0 ]
SH
chmod +x "$WORK/sim.sh"

echo "== 1. a pilot of 50 tasks, 8 at once, with a job log"
head -n 50 "$WORK/tasks.txt" | ./jpack -L 1 -P 8 --joblog "$WORK/pilot.tsv" "$WORK/sim.sh" || true

echo "== 2. the plan for all 400 on nodes of 8 CPUs and 16 GB, from the pilot's runtimes and peaks"
./jpack --plan --from "$WORK/pilot.tsv" --tasks 400 --tasks-per-job 200 --node-cpus 8 --node-mem 16G

echo "== 3. the job script it writes (a Slurm array of 2; --plan-script pbs for PBS)"
./jpack --plan --from "$WORK/pilot.tsv" --tasks 400 --tasks-per-job 200 --node-cpus 8 \
  --node-mem 16G --plan-script slurm -a "$WORK/tasks.txt" -L 1 "$WORK/sim.sh" >"$WORK/job.sbatch"
grep -v '^# ' "$WORK/job.sbatch"

echo "== 4. the run: here each array element in turn (sbatch $WORK/job.sbatch on a cluster)"
for k in 1 2; do
  ./jpack --shard "$k/2" --joblog "$WORK/log.$k.tsv" --resume -P 8 -a "$WORK/tasks.txt" -L 1 \
    "$WORK/sim.sh" >/dev/null || true
done

echo "== 5. the report of both shards, and its page"
./jpack --report-html "$WORK/report.html" --report "$WORK"/log.*.tsv
echo "open $WORK/report.html in a browser"
