#!/bin/sh
# A --worker for very short tasks: jpack keeps one of these running per slot and writes one task
# (an input line) to it at a time. Print the task's output, then end the task with a line of a
# NUL byte and its exit status:   ./jpack --worker -a tasks.txt --joblog run.tsv ./worker.sh
while IFS= read -r line; do
  echo "task $line on slot ${JPACK_SLOT:-?}"
  printf '\000%d\n' $?
done
