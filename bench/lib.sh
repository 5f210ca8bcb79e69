# Shared helpers for the benchmarks: run peers side by side, print figures and ratios.
set -euo pipefail
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HOME_DIR=$(cd "$BENCH/.." && pwd)
JPACK=$HOME_DIR/jpack
OUT=${BENCH_OUT:-$HOME_DIR/target/bench}
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jpack-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

need() {
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "bench: needs $t (apt-get install $t)" >&2; exit 2; }
  done
}

# mean NAME RUNS CMD: mean wall seconds of CMD over RUNS runs (hyperfine, one warm-up).
mean() {
  local name=$1 runs=$2 cmd=$3
  hyperfine -N --style none --warmup 1 --runs "$runs" --export-csv "$OUT/$name.csv" "$cmd" \
    >/dev/null 2>&1 || hyperfine --style none --warmup 1 --runs "$runs" \
    --export-csv "$OUT/$name.csv" "$cmd" >/dev/null
  awk -F, 'NR==2 {print $2}' "$OUT/$name.csv"
}

# peak_rss CMD...: the peak RSS in MB of a command (GNU time).
peak_rss() {
  /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$WORK/rss" | awk '{printf "%.1f", $1/1024}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

# row WHAT JPACK PEER GOAL: one line of the result table.
row() {
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$(ratio "$2" "$3")" "$4" | tee -a "$OUT/results.md"
}
