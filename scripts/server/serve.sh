#!/usr/bin/env bash
# `make serve`: install what the local server needs, then start it.
# Prints how long each stage took.
set -euo pipefail
here=$(dirname "$0")
t0=$(date +%s)
bash "$here/install.sh"
t1=$(date +%s)
bash "$here/start.sh"
t2=$(date +%s)
echo "[puente-server] stages: install $((t1 - t0)) s, start $((t2 - t1)) s, total $((t2 - t0)) s"
