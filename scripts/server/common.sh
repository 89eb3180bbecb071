# Shared settings and helpers for scripts/server/*.sh. Sourced, never run.
#
# Everything the local server writes lives under $STATE (default .state/ in
# the repository, git-ignored). Services listen on 127.0.0.1 only.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${PUENTE_STATE:-$ROOT/.state}
VENV=${PUENTE_VENV:-$ROOT/.venv}
PY=$VENV/bin/python

# The docassemble version; docker/Dockerfile pins the same one (a test checks).
DA_VERSION=1.10.13
# Server-only Python packages installed into $VENV next to docassemble.
SERVER_PIP=(gunicorn==23.0.0 unoserver==3.7 selenium==4.51.0)
UNOSERVER_VERSION=3.7

HOST=127.0.0.1
WEB_PORT=${PUENTE_PORT:-8080}
PG_PORT=5432
REDIS_PORT=6379
RABBIT_PORT=5672
EPMD_PORT=4369
RABBIT_DIST_PORT=25672
# unoserver listens on a UNIX socket in a 0700 folder (scripts/server/
# unoserver_unix.py), LibreOffice behind it on a named pipe: no TCP port, so
# no other local account can ask it to read files.
UNO_SOCKET_DIR=${STATE}/run/uno

# The services run as this unprivileged user when `make serve` runs as root
# (install.sh creates it); as another user, they run as that user.
SERVER_USER=${PUENTE_SERVER_USER:-puente}

PGBIN=${PUENTE_PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

RUN=$STATE/run          # PID files: one per process `make serve` started
LOGS=$STATE/log
SECRETS=$STATE/secrets  # admin password, API key, secret key, DB password (0600)
CONFIG=$STATE/config/config.yml
SITE=$STATE/server-site # the package as a server installs it (a wheel), see start.sh
NLTK_DIR=$VENV/nltk_data
UNO_PY3_SITE=$VENV/unoserver-py3  # unoserver for Debian's /usr/bin/python3 (python3-uno)

INTAKE_PATH="/interview?i=docassemble.puente:data/questions/main_intake.yml"
BASE_URL="http://$HOST:$WEB_PORT"

# as_server COMMAND...: COMMAND as the server's user (root only switches).
as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid="$SERVER_USER" --regid="$SERVER_USER" --init-groups -- "$@"
  else
    "$@"
  fi
}
server_owns() {  # server_owns PATH...: chown to the server's user (root only)
  if [ "$(id -u)" -eq 0 ]; then chown -R "$SERVER_USER:$SERVER_USER" "$@"; fi
}

log() { printf '[puente-server] %s\n' "$*"; }
die() { printf '[puente-server] ERROR: %s\n' "$*" >&2; exit 1; }

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# pid_of NAME: the PID recorded in $RUN/NAME.pid if that process is alive and
# its command line still contains the word recorded beside it (so a reused
# PID of some other program is never taken for ours).
pid_of() {
  local f="$RUN/$1.pid" pid word
  [ -f "$f" ] || return 1
  read -r pid word < "$f" || true
  [ -n "${pid:-}" ] && [ -d "/proc/$pid" ] || return 1
  # A zombie (exited, not yet reaped) is not running.
  [ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" != Z ] || return 1
  if [ -n "${word:-}" ]; then
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$word" || return 1
  fi
  echo "$pid"
}

# alive NAME: the process recorded as NAME exists and is not a zombie.
alive() {
  local pid
  read -r pid _ < "$RUN/$1.pid" 2>/dev/null || return 1
  [ -n "${pid:-}" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]
}

# wait_for SECONDS NAME COMMAND...: run COMMAND every half second until it
# succeeds; give up after SECONDS, or as soon as the process recorded as NAME
# (if this script started one) has died.
wait_for() {
  local limit=$1 name=$2; shift 2
  local end=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$end" ]; then
      return 1
    fi
    # Only "has it died?" here, not pid_of's command-line check: right after
    # spawn the PID may still be the shell that is about to exec the program.
    if [ -f "$RUN/$name.pid" ] && ! alive "$name"; then
      log "$name exited while starting"
      return 1
    fi
    sleep 0.5
  done
}

# http_ok URL: GET URL answers 2xx within 10 s.
http_ok() { curl -fsS -o /dev/null --max-time 10 "$1"; }

# lock: one start.sh or stop.sh at a time per state folder (waits up to 10 min).
lock() {
  mkdir -p "$RUN"
  exec 9>"$RUN/.lock"
  flock -w 600 9 || die "another scripts/server command has held $RUN/.lock for 10 minutes"
}

elapsed() { echo $(( $(date +%s) - $1 )); }
