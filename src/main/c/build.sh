#!/bin/sh
# Builds jpack-spawn, jpack's task starter, into $1 (run by Maven's compile phase). It is
# optional: without a C compiler jpack starts its tasks with ProcessBuilder, only slower.
out=$1
src=$(dirname "$0")/jpack-spawn.c
cc=${CC:-cc}
rm -f "$out"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "jpack: no C compiler ($cc): building without jpack-spawn (tasks start slower)" >&2
  exit 0
fi
if "$cc" -O2 -Wall -o "$out.tmp" "$src"; then
  mv -f "$out.tmp" "$out"
else
  rm -f "$out.tmp"
  echo "jpack: jpack-spawn did not build: jpack will start tasks without it (slower)" >&2
fi
exit 0
