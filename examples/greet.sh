#!/usr/bin/env bash
# The tutorial's greeting: run from the project directory as
#   ./jpack -a greetings.txt -L 1 -P 8 ./greet.sh
# 20 greetings, 8 at a time, one second each: three waves, about 3 s.
echo "$@ to you my friend!"
sleep 1
