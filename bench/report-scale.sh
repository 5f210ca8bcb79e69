#!/usr/bin/env bash
# Issue 18's scale row: --report and --report-html over a job log of 10 M runs with its
# LOG.usage (32 slots, 20 s tasks of varying length, 1 in 1,000 failing, 1 in 50,000 OOM-killed),
# wall time and peak RSS (GNU time), and the HTML's size. Goals: <= 15 s, <= 256 MB, <= 5 MB.
# Writes target/bench/report-scale.md.
#   BENCH_SIZES="1000000"   the log sizes (default: 10000000)
source "$(dirname "$0")/lib.sh"
need /usr/bin/time awk
sizes=${BENCH_SIZES:-10000000}
"$JPACK" --version >/dev/null   # build (once) outside the timings
res=$OUT/report-scale.md
: >"$res"
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" | tee -a "$res"; }
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)" | tee -a "$res"
row runs "wall s" "peak RSS MB" "HTML KB" goal
echo "|---|---|---|---|---|" | tee -a "$res"
for n in $sizes; do
  # 32 slots; each slot runs its tasks back to back (1-3 ms between), lines in the order they end
  awk -v n="$n" -v logf="$WORK/log" -v usage="$WORK/log.usage" 'BEGIN {
    srand(18)
    print "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand" > logf
    print "Seq\tHost\tStarttime\tMaxRSSkB\tUserSec\tSysSec\tOOM" > usage
    t0 = 1796000000000
    for (s = 0; s < 32; s++) free[s] = t0
    for (i = 1; i <= n; i++) {
      s = i % 32
      st = free[s] + 1 + int(rand() * 3)
      ms = 15000 + int(rand() * 10000)
      ex = 0; sg = 0; oom = ""
      if (i % 50000 == 0) { ex = -1; sg = 9; oom = 1 } else if (i % 1000 == 0) { ex = 1 }
      free[s] = st + ms
      printf "%d\t:\t%d.%03d\t%10.3f\t0\t0\t%d\t%d\t./task.sh %d\n", i, st / 1000, st % 1000, ms / 1000, ex, sg, i > logf
      printf "%d\t:\t%d.%03d\t%d\t%d.%06d\t0.010000\t%s\n", i, st / 1000, st % 1000, 200000 + int(rand() * 50000), ms / 1000, 0, oom > usage
    }
  }'
  mb=$(($(stat -c %s "$WORK/log") >> 20))
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$JPACK" --report "$WORK/log" --report-html "$WORK/r.html" \
    >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  read -r wall rss <"$WORK/t"
  kb=$(($(stat -c %s "$WORK/r.html") >> 10))
  row "$((n / 1000000)) M ($mb MB log)" "$wall" "$(awk -v m="$rss" 'BEGIN {printf "%.0f", m / 1024}')" "$kb" "<= 15 s, <= 256 MB, <= 5120 KB"
  sed 's/^/    /' "$WORK/out" | tee -a "$res"
done
