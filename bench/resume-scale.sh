#!/usr/bin/env bash
# Issue 19's scale rows: --resume over a job log of 1 M and 10 M tasks with 100 left undone
# (every N/100-th), against a run of just those 100, and GNU parallel's --resume on the same log;
# then 100 k and 1 M tasks through --worker with --joblog and -k (peak RSS, tasks/s).
# Writes target/bench/resume-scale.md. Needs: parallel, /usr/bin/time (jcmd for BENCH_HISTO=1).
#   BENCH_QUICK=1           one run of each (default: best of 3)
#   BENCH_SIZES="1000000"   the log sizes (default: 1000000 10000000)
#   BENCH_PARALLEL_10M=1    GNU parallel on the 10 M log too (off: 21-32 s per million lines here)
#   BENCH_WORKER="100000 1000000"  the --worker sizes
#   BENCH_HISTO=1           print a heap histogram of the 1 M --worker run half-way through
source "$(dirname "$0")/lib.sh"
need parallel /usr/bin/time
runs=${BENCH_QUICK:+1}
runs=${runs:-3}
sizes=${BENCH_SIZES:-1000000 10000000}
"$JPACK" --version >/dev/null   # build (once) outside the timings
res=$OUT/resume-scale.md
: >"$res"
srow() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" | tee -a "$res"; }
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" | tee -a "$res"
srow what "wall s" "peak RSS MB" goal
echo "|---|---|---|---|" | tee -a "$res"

# best PREPARE CMD...: runs PREPARE then CMD $runs times; prints "best-wall-s max-rss-MB".
best() {
  local prepare=$1 i w=999999 m=0 line
  shift
  for ((i = 0; i < runs; i++)); do
    eval "$prepare"
    /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || true
    line=$(tail -n 1 "$WORK/t")
    w=$(awk -v a="$w" -v b="${line% *}" 'BEGIN {print (b < a ? b : a)}')
    m=$(awk -v a="$m" -v b="${line#* }" 'BEGIN {print (b > a ? b : a)}')
  done
  awk -v w="$w" -v m="$m" 'BEGIN {printf "%.2f %.1f", w, m / 1024}'
}

for n in $sizes; do
  seq "$n" >"$WORK/in"
  # Tasks 1..n of "true N", all done but every n/100-th: what `jpack -a in -n1 true` logs.
  awk -v n="$n" 'BEGIN {
    print "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand"
    step = n / 100; t = 1796000000000
    for (i = 1; i <= n; i++) {
      if (i % step == 0) continue
      printf "%d\t:\t%d.%03d\t%10.3f\t0\t0\t0\t0\ttrue %d\n", i, (t + i) / 1000, (t + i) % 1000, 0.001, i
    }
  }' >"$WORK/log"
  awk -v n="$n" 'BEGIN {for (i = n / 100; i <= n; i += n / 100) print i}' >"$WORK/rest"
  size=$(stat -c %s "$WORK/log")
  lines=$(wc -l <"$WORK/log")
  again="truncate -s $size $WORK/log"   # each run appends the 100: cut them off again
  m=$((n / 1000000))M
  read -r bw bm <<<"$(best "rm -f $WORK/fresh" "$JPACK" --joblog "$WORK/fresh" -a "$WORK/rest" -n1 true)"
  srow "$m: the 100 tasks alone, fresh --joblog" "$bw" "$bm" "(base)"
  read -r rw rmem <<<"$(best "$again" "$JPACK" --joblog "$WORK/log" --resume -a "$WORK/in" -n1 true)"
  ran=$(($(wc -l <"$WORK/log") - lines))   # the last run's lines are still there
  [ "$ran" = 100 ] || { echo "bench: the resume ran $ran tasks, not 100:" >&2; cat "$WORK/err" >&2; exit 1; }
  srow "$m: --resume over the $m-line log, 100 left" "$rw" "$rmem" "<= base + 5 s, <= 128 MB"
  srow "$m:   its cost over the base (s)" "$(awk -v a="$rw" -v b="$bw" 'BEGIN {printf "%.2f", a - b}')" "" "<= 5"
  read -r fw fm <<<"$(best "$again" "$JPACK" --joblog "$WORK/log" --resume --force-resume -a "$WORK/in" -n1 true)"
  srow "$m:   the same with --force-resume (no changed-input check)" "$fw" "$fm" "(info)"
  if [ "$n" -le 1000000 ] || [ -n "${BENCH_PARALLEL_10M:-}" ]; then
    read -r pw pm <<<"$(BENCH_QUICK=1 runs=1 best "$again" parallel --will-cite --joblog "$WORK/log" --resume -a "$WORK/in" -n1 true)"
    srow "$m: GNU parallel --resume, the same log (one run)" "$pw" "$pm" "(peer)"
  else
    srow "$m: GNU parallel --resume" "not run" "" "BENCH_PARALLEL_10M=1 (20-30 s per million lines)"
  fi
  rm -f "$WORK/log" "$WORK/in"
done

# --worker, --joblog, -k: a trivial shell worker (as in run-all.sh).
printf '%s\n' '#!/bin/sh' 'while IFS= read -r line; do echo "$line"; printf '"'"'\000%d\n'"'"' 0; done' \
  >"$WORK/worker.sh"
chmod +x "$WORK/worker.sh"
for n in ${BENCH_WORKER:-100000 1000000}; do
  seq "$n" >"$WORK/w$n"
  read -r ww wm <<<"$(BENCH_QUICK=1 runs=1 best "rm -f $WORK/wlog" "$JPACK" --worker -k --joblog "$WORK/wlog" -a "$WORK/w$n" "$WORK/worker.sh")"
  rate=$(awk -v t="$ww" -v n="$n" 'BEGIN {printf "%.0f", n / t}')
  srow "--worker -k --joblog, $n tasks ($rate tasks/s)" "$ww" "$wm" ">= 10000/s, <= 128 MB and flat"
done
# The reports at that rate: --status (a JSON file every 5 s), --progress, and the count ahead.
wsizes=${BENCH_WORKER:-100000 1000000}
n=${wsizes##* }
read -r sw sm <<<"$(BENCH_QUICK=1 runs=1 best "rm -f $WORK/wlog" "$JPACK" --worker -k --joblog "$WORK/wlog" --status "$WORK/st.json" --progress -a "$WORK/w${n:-1000000}" "$WORK/worker.sh")"
srow "  the same with --status and --progress (the total counted ahead)" "$sw" "$sm" "~ the row above"
if [ -n "${BENCH_HISTO:-}" ] && command -v jcmd >/dev/null; then
  rm -f "$WORK/wlog"
  "$JPACK" --worker -k --joblog "$WORK/wlog" -a "$WORK/w1000000" "$WORK/worker.sh" >/dev/null & pid=$!
  sleep "${BENCH_HISTO_AFTER:-40}"
  echo "heap histogram after ${BENCH_HISTO_AFTER:-40} s ($(wc -l <"$WORK/wlog") tasks logged):"
  jcmd "$pid" GC.class_histogram | head -n 15
  wait "$pid" || true
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$res"
