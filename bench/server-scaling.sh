#!/usr/bin/env bash
# Issue 15, items 7 and 8, measured through a real docassemble server on
# this machine: the batch upload interview with 1 and then 2 Celery worker
# processes (the parts fan out over them), and one case's document assembly
# in the asylum interview with and without unoserver. Starts the server for
# each configuration (scripts/server/serve.sh) and stops it at the end.
# One server runs on the machine at a time: hold the end-to-end lock.
#
#   flock /tmp/puente-e2e.lock bash bench/server-scaling.sh [CASES]
#
# Appends one JSON line per measurement to bench/server-results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-24}
OUT=${BENCH_OUT:-bench/server-results.jsonl}
PY=${PY:-.venv/bin/python}
trap 'bash scripts/server/stop.sh >/dev/null 2>&1 || true' EXIT

serve() {  # serve ENV...: the server with these settings (restarts what they change)
  env "$@" bash scripts/server/serve.sh >/dev/null
}
measure() {  # measure LABEL ARGS...: one line of results
  BENCH_LABEL=$1 PYTHONPATH=$PWD "$PY" bench/server.py "${@:2}" | tee -a "$OUT"
}

for procs in 1 2; do
  serve PUENTE_CELERY_PROCESSES=$procs
  PYTHONPATH=$PWD "$PY" bench/server.py batch --cases 2 >/dev/null   # warm the worker processes
  measure "celery-$procs" batch --cases "$CASES"
done
for off in 0 1; do
  serve PUENTE_CELERY_PROCESSES=1 PUENTE_UNOSERVER_OFF=$off
  PYTHONPATH=$PWD "$PY" bench/server.py assembly --runs 1 >/dev/null   # warm the web app
  measure "unoserver-off-$off" assembly --runs 3
done
