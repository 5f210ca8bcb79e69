#!/usr/bin/env bash
echo "$@ to you my friend!"
sleep 1
