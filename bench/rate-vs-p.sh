#!/usr/bin/env bash
# Tasks per second against -P for jpack, GNU xargs and GNU parallel (4000 x true), and a chart.
source "$(dirname "$0")/lib.sh"
need hyperfine parallel gnuplot
seq 4000 >"$WORK/s4000"
printf 'P jpack xargs parallel\n' >"$OUT/rate-vs-P.dat"
for p in 1 2 4 8 16; do
  j=$(mean rate-jpack-$p 1 "$JPACK -a $WORK/s4000 -n 1 -P $p true")
  x=$(mean rate-xargs-$p 1 "xargs -a $WORK/s4000 -n 1 -P $p true")
  q=$(mean rate-parallel-$p 1 "parallel --will-cite -a $WORK/s4000 -j $p true")
  awk -v p="$p" -v j="$j" -v x="$x" -v q="$q" \
    'BEGIN {printf "%d %.0f %.0f %.0f\n", p, 4000/j, 4000/x, 4000/q}' >>"$OUT/rate-vs-P.dat"
done
cat "$OUT/rate-vs-P.dat"
gnuplot <<PLOT
set terminal png size 800,500
set output "$OUT/rate-vs-P.png"
set title "4000 x true: tasks per second against -P (2-core machine)"
set xlabel "-P"
set ylabel "tasks per second"
set logscale x 2
set key left top
set grid
plot "$OUT/rate-vs-P.dat" using 1:2 with linespoints title "jpack", \
     "" using 1:3 with linespoints title "GNU xargs", \
     "" using 1:4 with linespoints title "GNU parallel"
PLOT
