#!/usr/bin/env bash
# Stop what scripts/server/start.sh started, and nothing else: each process
# recorded in $STATE/run/*.pid (with the whole session it started), in the
# reverse order of starting. Services that start.sh found running and reused
# are left alone. `stop.sh --only NAME` stops one (web, celery, ...).
set -uo pipefail
source "$(dirname "$0")/common.sh"

[ -n "${PUENTE_LOCKED:-}" ] || lock   # start.sh holds the lock when it calls us
ORDER=(web celery unoserver rabbitmq epmd redis postgres)
if [ "${1:-}" = "--only" ]; then ORDER=("$2"); fi

# Any process of the session still running (zombies do not count).
session_alive() { ps -o stat= -s "$1" 2>/dev/null | grep -qv '^Z'; }

stop_session() {  # stop_session NAME PID: TERM the session, wait, then KILL
  local name=$1 pid=$2 limit=${3:-30} i
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < limit * 2; i++)); do
    session_alive "$pid" || return 0
    sleep 0.5
  done
  [ "$name" = unoserver ] || log "$name (pid $pid) did not stop in $limit s: killing it"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  sleep 0.5
}

stopped=()
for name in "${ORDER[@]}"; do
  rm -f "$RUN/$name.reused"
  pid=$(pid_of "$name") || { rm -f "$RUN/$name.pid"; continue; }
  case $name in
    postgres)
      if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$PGBIN/pg_ctl" -D "$STATE/postgres" -m fast -w -t 60 stop >/dev/null 2>&1
      else
        "$PGBIN/pg_ctl" -D "$STATE/postgres" -m fast -w -t 60 stop >/dev/null 2>&1
      fi
      [ -d "/proc/$pid" ] && { kill -TERM "$pid" 2>/dev/null; sleep 2; }
      ;;
    rabbitmq) stop_session "$name" "$pid" 60 ;;
    # LibreOffice may ignore SIGTERM while headless; it holds no data worth waiting for.
    unoserver) stop_session "$name" "$pid" 5 ;;
    *) stop_session "$name" "$pid" 30 ;;
  esac
  rm -f "$RUN/$name.pid"
  [ "$name" = web ] && rm -f "$RUN/web.fingerprint"
  stopped+=("$name")
done
rm -f "$RUN/rabbitmq-beam.pid"
if [ ${#stopped[@]} -gt 0 ]; then
  log "stopped: ${stopped[*]}"
else
  log "nothing of ours was running"
fi
