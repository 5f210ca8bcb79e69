#!/usr/bin/env bash
# A stand-in task for the job scripts: prints its arguments and the slot it ran in.
echo "task $* on $(hostname) slot ${JPACK_SLOT:-?}"
sleep 1
