#!/usr/bin/env bash
# Issue 15, items 7 and 8, measured through a real docassemble server on
# this machine: the batch upload interview with 1 and 2 Celery worker
# processes, alternately, ROUNDS times each (the parts fan out over the
# processes), then one case's document assembly in the asylum interview
# with and without unoserver, and the same documents through one
# LibreOffice process each (docassemble's own path). Starts the server for
# each configuration (scripts/server/serve.sh) and stops it at the end.
# One server runs on the machine at a time: hold the end-to-end lock.
#
#   flock /tmp/puente-e2e.lock bash bench/server-scaling.sh [CASES] [ROUNDS]
#   WHAT=batch|assembly  (default: both)
#
# Appends one JSON line per measurement to bench/server-results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-24}
ROUNDS=${2:-2}
WHAT=${WHAT:-all}
OUT=${BENCH_OUT:-bench/server-results.jsonl}
PY=${PY:-.venv/bin/python}
trap 'bash scripts/server/stop.sh >/dev/null 2>&1 || true' EXIT

serve() {  # serve ENV...: the server with these settings (restarts what they change)
  env "$@" bash scripts/server/serve.sh >/dev/null
}
bench() { PYTHONPATH=$PWD "$PY" bench/server.py "$@"; }
measure() {  # measure LABEL ARGS...: one line of results
  BENCH_LABEL=$1 bench "${@:2}" | tee -a "$OUT"
}

if [ "$WHAT" != assembly ]; then
  for round in $(seq "$ROUNDS"); do
    for procs in 1 2; do
      serve PUENTE_CELERY_PROCESSES=$procs
      bench batch --cases 2 >/dev/null   # warm the worker processes
      measure "celery-$procs" batch --cases "$CASES"
    done
  done
fi
if [ "$WHAT" != batch ]; then
  for off in 0 1; do
    serve PUENTE_CELERY_PROCESSES=1 PUENTE_UNOSERVER_OFF=$off
    bench assembly --runs 1 >/dev/null   # warm the web app
    measure "unoserver-off-$off" assembly --runs 3 $([ "$off" = 1 ] && echo --per-document)
  done
fi
