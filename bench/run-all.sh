#!/usr/bin/env bash
# jpack against GNU xargs and GNU parallel, side by side in one run. Prints a table of figures
# and ratios (jpack / peer) and writes target/bench/results.md and target/bench/rate-vs-P.png.
# Needs: hyperfine, parallel, gnuplot (Debian: apt-get install hyperfine parallel gnuplot-nox).
# BENCH_QUICK=1 runs fewer repetitions.
source "$(dirname "$0")/lib.sh"
need hyperfine parallel xargs /usr/bin/time
runs=${BENCH_QUICK:+1}
runs=${runs:-3}
"$JPACK" --version >/dev/null   # build (once) outside the timings
: >"$OUT/results.md"
echo "| what | jpack | peer | ratio | goal |" | tee -a "$OUT/results.md"
echo "|---|---|---|---|---|" | tee -a "$OUT/results.md"

seq 4000 >"$WORK/s4000"
j=$(mean spawn-jpack "$runs" "$JPACK -a $WORK/s4000 -n 1 -P 2 true")
x=$(mean spawn-xargs "$runs" "xargs -a $WORK/s4000 -n 1 -P 2 true")
row "4000 true, -n 1 -P 2 (s, vs xargs)" "$j" "$x" "<= 1.00"
ju=$(mean spawn-jpack-u "$runs" "$JPACK -u -a $WORK/s4000 -n 1 -P 2 true")
row "same with -u (s, vs xargs)" "$ju" "$x" "(info)"
jo=$(mean spawn-jpack-pb "$runs" "env JPACK_SPAWN_HELPER=off $JPACK -a $WORK/s4000 -n 1 -P 2 true")
row "same without jpack-spawn, ProcessBuilder only (s, vs xargs)" "$jo" "$x" "(info)"

seq 2000 >"$WORK/s2000"
j=$(mean keep-jpack "$runs" "$JPACK -k -a $WORK/s2000 -n 1 -P 2 echo")
p=$(mean keep-parallel "$runs" "parallel --will-cite -k -a $WORK/s2000 -j 2 echo")
row "2000 echo, -k -P 2 (s, vs GNU parallel)" "$j" "$p" "<= 0.20"
# The floor under that goal: a bare C loop of vfork + exec, 2 at a time (bench/floor.c).
if cc -O2 -o "$WORK/floor" "$BENCH/floor.c" 2>/dev/null; then
  f=$(mean keep-floor "$runs" "$WORK/floor 2000 2 echo")
  row "  floor: bare C vfork+exec loop, no output handling (s, vs GNU parallel)" "$f" "$p" "(info)"
  row "  jpack against that floor (s, vs the floor)" "$j" "$f" "(info)"
fi

j=$(mean start-jpack 10 "$JPACK -a /dev/null -r true")
p=$(mean start-parallel 10 "parallel --will-cite -a /dev/null true")
j1=$(mean one-jpack 10 "$JPACK -a $BENCH/one.txt true")
p1=$(mean one-parallel 10 "parallel --will-cite -a $BENCH/one.txt true")
row "one trivial task, end to end (s, vs GNU parallel)" "$j1" "$p1" "<= 1.00"
row "start-up, no task (s, vs GNU parallel)" "$j" "$p" "(info)"

seq 500000 >"$WORK/s500k"
seq 5000000 >"$WORK/s5m"
m1=$(peak_rss "$JPACK" -a "$WORK/s500k" -n 10000 -P 2 true)
m2=$(peak_rss "$JPACK" -a "$WORK/s5m" -n 10000 -P 2 true)
row "peak RSS, 5M vs 0.5M arguments -n 10000 (MB)" "$m2" "$m1" "<= 1.30, and <= 256 MB"
j=$(mean args-jpack 1 "$JPACK -a $WORK/s5m -n 10000 -P 2 true")
x=$(mean args-xargs 1 "xargs -a $WORK/s5m -n 10000 -P 2 true")
row "5M arguments -n 10000 (s, vs xargs)" "$j" "$x" "<= 4.00"

# 400 MB of output through -k: 8 tasks of 50 MB each.
printf '%s\n' 1 2 3 4 5 6 7 8 >"$WORK/s8"
m=$(peak_rss "$JPACK" -k -a "$WORK/s8" -n 1 -P 4 sh -c 'head -c 52428800 /dev/zero')
row "peak RSS, 400 MB of task output through -k (MB, vs 256 MB)" "$m" 256 "<= 1.00"

awk 'BEGIN { for (i = 0; i < 3000; i++) print 1 }' >"$WORK/ones"   # each task: sleep 1
j=$(mean sleep-jpack 1 "$JPACK -a $WORK/ones -n 1 -P 500 sleep")
x=$(mean sleep-xargs 1 "xargs -a $WORK/ones -n 1 -P 500 sleep")
row "3000 x sleep 1 at -P 500 (s, vs xargs)" "$j" "$x" "<= 1.30"
"$JPACK" -a "$WORK/ones" -n 1 -P 500 sleep & pid=$!
threads=0
while kill -0 "$pid" 2>/dev/null; do
  n=$(awk '/^Threads:/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
  [ "${n:-0}" -gt "$threads" ] && threads=$n
  sleep 0.2
done
wait "$pid" || true
echo "| peak JVM threads at -P 500 | $threads | | | bounded (report) |" | tee -a "$OUT/results.md"

# The stretch goal: very short tasks with per-task exit status and time in the job log.
seq 20000 >"$WORK/s20k"
printf '%s\n' '#!/bin/sh' 'while IFS= read -r line; do echo "$line"; printf '"'"'\000%d\n'"'"' 0; done' \
  >"$WORK/worker.sh"
chmod +x "$WORK/worker.sh"
w=$(mean worker-jpack 3 "$JPACK --worker -P 2 -a $WORK/s20k --joblog $WORK/worker.tsv $WORK/worker.sh")
rate=$(awk -v t="$w" 'BEGIN { printf "%.0f", 20000 / t }')
echo "| 20000 tasks with --worker -P 2 and a job log (tasks/s) | $rate | | | >= 10000 (stretch) |" \
  | tee -a "$OUT/results.md"

cd "$HOME_DIR"
g=$(mean greet 1 "$JPACK -a greetings.txt -L 1 -P 8 ./greet.sh")
row "headline greet makespan (s, vs the 3.0 s floor)" "$g" 3.0 "<= 1.17 (3.5 s)"

bash "$BENCH/rate-vs-p.sh"
echo "results: $OUT/results.md, chart: $OUT/rate-vs-P.png"
