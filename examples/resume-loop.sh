#!/bin/sh
# The requeue loop without a batch system, for trying it out: each round has a 5 s deadline and
# stops with status 75 while tasks are left; the next round resumes from run.tsv.
# Run from the project directory: sh examples/resume-loop.sh
seq 1 40 > /tmp/jpack-demo-tasks.txt
rm -f /tmp/jpack-demo-run.tsv
round=0
while :; do
  round=$((round + 1))
  ./jpack -a /tmp/jpack-demo-tasks.txt -n 1 -P 4 --joblog /tmp/jpack-demo-run.tsv --resume \
    --deadline 5s --term-grace 1 sh -c 'sleep 0.5; echo "task $0 done"'
  rc=$?
  [ "$rc" -eq 75 ] || break
  echo "round $round stopped at the deadline; resuming"
done
echo "finished after $round rounds with status $rc"
