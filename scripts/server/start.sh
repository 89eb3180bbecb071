#!/usr/bin/env bash
# Start the local docassemble server: PostgreSQL, Redis, RabbitMQ, unoserver,
# the Celery worker and the web app (gunicorn), all on 127.0.0.1, all state in
# $STATE. A service already running on its standard port is reused instead;
# a process this script started earlier and that still runs is left alone,
# so running it twice is harmless. scripts/server/stop.sh stops exactly what
# this script started (by the PID files in $STATE/run).
#
# Needs scripts/server/install.sh first (`make serve` runs both).
set -euo pipefail
source "$(dirname "$0")/common.sh"
t0=$(date +%s)
umask 022
if [ "$(id -u)" -eq 0 ]; then
  id -u "$SERVER_USER" >/dev/null 2>&1 || die "user $SERVER_USER is missing: run scripts/server/install.sh (or make serve)"
fi

[ -x "$PY" ] || die "$VENV is missing: run scripts/server/install.sh (or make serve)"
mkdir -p "$STATE" "$RUN" "$LOGS" "$STATE/home" "$STATE/config" \
         "$STATE/docassemble/files" "$STATE/docassemble/log" "$STATE/docassemble/certs" \
         "$STATE/docassemble/www-certs" "$STATE/docassemble/local"
install -d -m 700 "$SECRETS"
lock
# What the services write belongs to the server's user, and no one else
# may read it: uploaded files and generated documents (the file store),
# logs, the configuration (it holds the secrets the services need).
chmod 700 "$STATE/docassemble" "$STATE/docassemble/files" "$STATE/docassemble/log" "$STATE/home" "$STATE/config"
chmod 711 "$LOGS"  # PostgreSQL (its own user) writes its log file in it too
server_owns "$STATE/docassemble" "$STATE/home" "$STATE/config"
if [ "$(id -u)" -eq 0 ]; then
  chown "$SERVER_USER:$SERVER_USER" "$LOGS"
  find "$LOGS" -mindepth 1 ! -name postgres.log ! -name initdb.log -exec chown "$SERVER_USER:$SERVER_USER" {} +
  find "$LOGS" -mindepth 1 -type f -exec chmod go-rwx {} +
fi
[ "$(id -u)" -ne 0 ] || as_server test -x "$VENV/bin/python" \
  || die "user $SERVER_USER cannot run $VENV/bin/python: make the folders above it world-executable (chmod o+x)"

# ---- secrets (generated once, kept in $SECRETS, never printed) ---------------
secret() {  # secret NAME LENGTH: the stored value, generated on first use
  local f="$SECRETS/$1"
  if [ ! -s "$f" ]; then
    (umask 077; tr -dc 'A-Za-z0-9' < /dev/urandom | head -c "$2" > "$f")
  fi
  cat "$f"
}
ADMIN_EMAIL=${PUENTE_ADMIN_EMAIL:-admin@example.com}
ADMIN_PASSWORD=$(secret admin-password 20)
API_KEY=$(secret api-key 32)        # docassemble requires exactly 32 characters
SECRET_KEY=$(secret secretkey 32)
DB_PASSWORD=$(secret db-password 24)
REDIS_PASSWORD=$(secret redis-password 32)
RABBIT_PASSWORD=$(secret rabbitmq-password 32)
(umask 077; echo "$ADMIN_EMAIL" > "$SECRETS/admin-email")
DB_USER=puente
DB_NAME=docassemble

# Environment of every docassemble process (web app, worker, create_tables).
# The working directory is $STATE/home, never the repository: Python puts the
# working directory first on sys.path, and the repository's docassemble/puente
# (source layout, no data/ folder) would shadow the installed package.
DA_ENV=(
  DA_CONFIG_FILE="$CONFIG"
  NLTK_DATA="$NLTK_DIR"
  HOME="$STATE/home"
  LANG=en_US.UTF-8
  LC_ALL=en_US.UTF-8
  PATH="$VENV/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
  PYTHONPATH="$SITE:$ROOT/tests/e2e/smoke_package:$ROOT/scripts/server"
)
# Puente converts its documents through the running unoserver. With
# PUENTE_UNOSERVER_OFF=1 (bench/server-scaling.sh, to measure the difference)
# it starts its own LibreOffice for each case's documents instead.
if [ "${PUENTE_UNOSERVER_OFF:-0}" != 1 ]; then
  DA_ENV+=(PUENTE_UNOSERVER="unix:$UNO_SOCKET_DIR/xmlrpc.sock")
fi

# spawn NAME WORD LOGFILE COMMAND...: start COMMAND in its own session (so
# stop.sh can end it with all its children), as the server's user, with
# umask 077 (every file it writes is its own), and record its PID with WORD,
# a word its command line contains.
spawn() {
  local name=$1 word=$2 logf=$3; shift 3
  touch "$logf"; server_owns "$logf"; chmod 600 "$logf"
  # 9>&-: the children must not inherit the lock (see lock in common.sh).
  # Every other inherited descriptor is closed too: a service must never
  # hold a lock its caller took (flock's, or a test run's).
  (cd "$STATE/home" && umask 077 && close_fds && exec setsid "${AS_SERVER[@]}" "$@" >>"$logf" 2>&1 </dev/null) &
  echo "$! $word" > "$RUN/$name.pid"
}
close_fds() {
  local fd
  for fd in $(ls /proc/$BASHPID/fd); do
    [ "$fd" -gt 2 ] && eval "exec $fd>&-"
  done
  return 0
}
AS_SERVER=()
if [ "$(id -u)" -eq 0 ]; then
  AS_SERVER=(setpriv --reuid="$SERVER_USER" --regid="$SERVER_USER" --init-groups --)
fi

reused() {  # reused NAME PORT: note that a service we did not start is used
  echo "$2" > "$RUN/$1.reused"
  log "$1: reusing the service already listening on $HOST:$2"
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# ---- PostgreSQL --------------------------------------------------------------
PGDATA=$STATE/postgres
PGSOCK=$RUN/pg
ensure_role_and_db() {  # ensure_role_and_db PSQL-ARGS...: as a superuser
  local sql
  sql="DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
  ELSE
    ALTER ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;"
  printf '%s\n' "$sql" | as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@" -d postgres >/dev/null
  if ! as_postgres "$PGBIN/psql" -X -tA "$@" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@" -d postgres \
      -c "CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING 'UTF8' TEMPLATE template0" >/dev/null
  fi
}
db_login_ok() {
  PGPASSWORD=$DB_PASSWORD "$PGBIN/psql" -X -tA -h "$HOST" -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" -c 'SELECT 1' 2>/dev/null | grep -q 1
}
start_postgres() {
  [ -n "$PGBIN" ] && [ -x "$PGBIN/pg_ctl" ] || die "PostgreSQL is not installed (scripts/server/install.sh)"
  if pid=$(pid_of postgres); then
    log "postgres: running (pid $pid)"
  elif port_open "$PG_PORT"; then
    reused postgres "$PG_PORT"
    if ! db_login_ok; then
      # A local cluster (Debian's own): its superuser over the default socket.
      ensure_role_and_db -p "$PG_PORT" 2>/dev/null || ensure_role_and_db -h "$HOST" -p "$PG_PORT" 2>/dev/null \
        || die "PostgreSQL on port $PG_PORT does not let us create role '$DB_USER' and database '$DB_NAME'; create them with the password in $SECRETS/db-password, or stop that server"
    fi
    return 0
  else
    if [ "$(id -u)" -eq 0 ]; then
      as_postgres test -x "$STATE" || die "user postgres cannot reach $STATE: make its parent folders world-executable (chmod o+x)"
    fi
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      log "postgres: initdb $PGDATA"
      rm -rf "$PGDATA"; install -d -m 700 "$PGDATA"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGDATA"
      as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >"$LOGS/initdb.log" 2>&1 || { cat "$LOGS/initdb.log" >&2; die "initdb failed"; }
    fi
    install -d -m 755 "$PGSOCK"; touch "$LOGS/postgres.log"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGSOCK" "$LOGS/postgres.log"
    (close_fds; as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 \
      -o "-c listen_addresses=$HOST -p $PG_PORT -k $PGSOCK" start >/dev/null) \
      || { tail -20 "$LOGS/postgres.log" >&2; die "PostgreSQL did not start"; }
    echo "$(head -1 "$PGDATA/postmaster.pid") postgres" > "$RUN/postgres.pid"
    log "postgres: started on $HOST:$PG_PORT (pid $(pid_of postgres))"
  fi
  db_login_ok || ensure_role_and_db -h "$PGSOCK" -p "$PG_PORT"
  db_login_ok || die "cannot log in to PostgreSQL as $DB_USER"
}

# ---- Redis ---------------------------------------------------------------------
redis_auth_ok() {
  [ "$(REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h "$HOST" -p "$REDIS_PORT" --no-auth-warning ping 2>/dev/null)" = PONG ]
}
start_redis() {
  if pid=$(pid_of redis); then log "redis: running (pid $pid)"; return 0; fi
  if port_open "$REDIS_PORT"; then
    reused redis "$REDIS_PORT"
    if ! redis_auth_ok; then
      log "WARNING: the Redis on $HOST:$REDIS_PORT does not take Puente's password; using it without one"
      REDIS_PASSWORD=""
    fi
    return 0
  fi
  install -d -m 700 "$STATE/redis"
  # A password: other local accounts reach 127.0.0.1 too.
  (umask 077; cat > "$STATE/redis/redis.conf" <<CONF
bind $HOST
port $REDIS_PORT
protected-mode yes
requirepass $REDIS_PASSWORD
daemonize no
dir $STATE/redis
save 60 1
appendonly no
CONF
  )
  server_owns "$STATE/redis"
  spawn redis redis-server "$LOGS/redis.log" redis-server "$STATE/redis/redis.conf"
  wait_for 30 redis port_open "$REDIS_PORT" || { tail -20 "$LOGS/redis.log" >&2; die "Redis did not start"; }
  log "redis: started on $HOST:$REDIS_PORT (pid $(pid_of redis))"
}

# ---- RabbitMQ (Celery's broker) ------------------------------------------------
start_rabbitmq() {
  if pid=$(pid_of rabbitmq); then log "rabbitmq: running (pid $pid)"; return 0; fi
  if port_open "$RABBIT_PORT"; then reused rabbitmq "$RABBIT_PORT"; return 0; fi
  local rh=$STATE/rabbitmq
  # Its own user with a password instead of guest/guest (any local account
  # could otherwise queue a task for the worker). The default user is made
  # when the broker's database is created: a database from before has
  # guest, and holds nothing worth keeping, so it is made again.
  if [ "$(cat "$rh/.user" 2>/dev/null)" != "$DB_USER" ]; then
    rm -rf "$rh/mnesia"
  fi
  install -d -m 700 "$rh"
  mkdir -p "$rh/mnesia" "$LOGS/rabbitmq"
  echo '[].' > "$rh/enabled_plugins"   # no management plugin: nothing on 15672
  : > "$rh/rabbitmq-env.conf"
  (umask 077; printf 'loopback_users.guest = true\nlisteners.tcp.default = %s:%s\ndefault_user = %s\ndefault_pass = %s\n' \
     "$HOST" "$RABBIT_PORT" "$DB_USER" "$RABBIT_PASSWORD" > "$rh/rabbitmq.conf")
  echo "$DB_USER" > "$rh/.user"
  server_owns "$rh" "$LOGS/rabbitmq"
  local env=(HOME="$rh" RABBITMQ_NODENAME=puente@localhost RABBITMQ_NODE_IP_ADDRESS="$HOST"
    RABBITMQ_NODE_PORT="$RABBIT_PORT" RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT"
    RABBITMQ_MNESIA_BASE="$rh/mnesia" RABBITMQ_LOG_BASE="$LOGS/rabbitmq"
    RABBITMQ_ENABLED_PLUGINS_FILE="$rh/enabled_plugins" RABBITMQ_CONF_ENV_FILE="$rh/rabbitmq-env.conf"
    RABBITMQ_CONFIG_FILE="$rh/rabbitmq.conf" RABBITMQ_PID_FILE="$rh/beam.pid"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    ERL_EPMD_ADDRESS="$HOST" ERL_EPMD_PORT="$EPMD_PORT")
  # Erlang's port mapper would be started by RabbitMQ and outlive it; start
  # it ourselves so that it has a PID file too (unless one already runs).
  if ! pid_of epmd >/dev/null && ! port_open "$EPMD_PORT"; then
    spawn epmd epmd "$LOGS/epmd.log" env "${env[@]}" epmd -address "$HOST" -port "$EPMD_PORT"
    wait_for 15 epmd port_open "$EPMD_PORT" || die "epmd did not start"
  fi
  spawn rabbitmq rabbitmq "$LOGS/rabbitmq.log" env "${env[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server
  wait_for 120 rabbitmq port_open "$RABBIT_PORT" || { tail -30 "$LOGS/rabbitmq.log" >&2; die "RabbitMQ did not start"; }
  log "rabbitmq: started on $HOST:$RABBIT_PORT (pid $(pid_of rabbitmq))"
}

# ---- unoserver (LibreOffice kept running for DOCX -> PDF) -----------------------
# On a UNIX socket in a 0700 folder of the server's user, LibreOffice behind
# it on a named pipe (scripts/server/unoserver_unix.py): only the server's
# own processes can ask it to convert (and so to read) a file.
uno_ping() { as_server "$PY" -c "from docassemble.puente.documents.unix_rpc import proxy; proxy('$UNO_SOCKET_DIR/xmlrpc.sock').info()"; }
start_unoserver() {
  if pid=$(pid_of unoserver); then log "unoserver: running (pid $pid)"; return 0; fi
  install -d -m 700 "$UNO_SOCKET_DIR" "$STATE/unoserver"
  mkdir -p "$STATE/unoserver/home" "$STATE/unoserver/tmp"
  server_owns "$UNO_SOCKET_DIR" "$STATE/unoserver"
  spawn unoserver unoserver_unix "$LOGS/unoserver.log" env HOME="$STATE/unoserver/home" \
    PYTHONPATH="$UNO_PY3_SITE" /usr/bin/python3 "$ROOT/scripts/server/unoserver_unix.py" \
    --socket "$UNO_SOCKET_DIR/xmlrpc.sock" \
    --user-installation "$STATE/unoserver/profile" --temp-dir "$STATE/unoserver/tmp" \
    --conversion-timeout 180
  wait_for 90 unoserver uno_ping || { tail -20 "$LOGS/unoserver.log" >&2; die "unoserver did not start"; }
  log "unoserver: started on $UNO_SOCKET_DIR/xmlrpc.sock (pid $(pid_of unoserver))"
}

# ---- the package, as a server installs it ----------------------------------------
# The repository's .venv has this package installed editable (for the tests
# and the `puente` command), and an editable install has no data/ folder:
# docassemble finds interviews at docassemble.puente:data/questions/ only in
# the layout of the wheel. So the server gets the wheel built from the
# working tree, installed into $SITE, which comes first on its PYTHONPATH.
# Interview YAML is read at request time from there; `make serve` refreshes
# it, and restarts the web app and worker only when Python code changed.
install_package() {
  local build=$STATE/build new=$STATE/server-site.new
  rm -rf "$build" "$new"; mkdir -p "$build"
  "$VENV/bin/pip" wheel -q --no-deps --no-build-isolation -w "$build" "$ROOT" 2> >(grep -v "^WARNING: Location '" >&2) \
    || die "building the package wheel failed"
  "$VENV/bin/pip" install -q --no-deps --no-compile --target "$new" "$build"/docassemble_puente-*.whl 2> >(grep -v "^WARNING: Location '" >&2)
  rm -rf "$new/bin"
  rm -rf "$SITE"; mv "$new" "$SITE"
  # A digest of the Python code the server runs (this package, the smoke package).
  (cd "$SITE" && find . -name '*.py' -type f | sort | xargs sha256sum;
   cd "$ROOT/tests/e2e/smoke_package" && find . -name '*.py' -type f | sort | xargs sha256sum) \
    | sha256sum | cut -c1-16 > "$STATE/server-site.pyhash"
}

# ---- configuration -------------------------------------------------------------
rabbit_credentials() {  # our own broker has Puente's user; a reused one, guest
  if [ -f "$RUN/rabbitmq.reused" ]; then echo guest; else echo "$DB_USER:$RABBIT_PASSWORD"; fi
}
# docassemble's own phrases in Spanish (es-words.xlf is its fullest list),
# then any *words* file the package ships in data/sources (Puente's own
# corrections), later files winning.
words_list() {
  echo "  - docassemble.base:data/sources/us-words.yml"
  echo "  - docassemble.base:data/sources/es-words.xlf"
  local f
  for f in "$SITE"/docassemble/puente/data/sources/*words*.{yml,yaml,xlf,xlsx}; do
    [ -f "$f" ] && echo "  - docassemble.puente:data/sources/$(basename "$f")"
  done
  return 0
}

write_config() {
  (umask 077; cat > "$CONFIG" <<CONF
# Written by scripts/server/start.sh on every start; edit that script instead.
debug: ${PUENTE_DEBUG:-false}
secretkey: $SECRET_KEY
url root: $BASE_URL
root: /
exitpage: $BASE_URL/
default interview: docassemble.puente:data/questions/main_intake.yml
db:
  prefix: postgresql+psycopg2://
  name: $DB_NAME
  user: $DB_USER
  password: $DB_PASSWORD
  host: $HOST
  port: $PG_PORT
redis: redis://${REDIS_PASSWORD:+:$REDIS_PASSWORD@}$HOST:$REDIS_PORT
rabbitmq: pyamqp://$(rabbit_credentials)@$HOST:$RABBIT_PORT//
use https: false
behind https load balancer: false
timezone: America/Mexico_City
language: es
locale: en_US.utf8
words:
$(words_list)
enable unoconv: true
unoconvert path: $ROOT/scripts/server/unoconvert-unix
unoconv path: $STATE/no-daunoconv
pandoc: /usr/bin/pandoc
libreoffice: /usr/bin/soffice
uploads: $STATE/docassemble/files
packages: $VENV
log: $STATE/docassemble/log
webapp: $STATE/docassemble/docassemble.wsgi
ready file: $STATE/docassemble/ready
version file: $STATE/docassemble/VERSION
flask log: $LOGS/flask.log
celery flask log: $LOGS/celery-flask.log
cert install directory: $STATE/docassemble/certs
web server certificate directory: $STATE/docassemble/www-certs
libreoffice macro file: $STATE/home/.config/libreoffice/4/user/basic/Standard/Module1.xba
nltk socket: $STATE/run/no-nltk.sock
enable playground: false
# The services cannot write the virtual environment (they do not run as
# root): packages are installed with make serve, never from the web.
allow updates: false
allow demo: false
show dispatch link: false
api privileges: [admin]
# Accounts: staff are added by an administrator (README, "Accounts"); no
# one registers on their own. Failed sign-ins: docassemble bans an IP
# address after 'attempt limit' failures, which would lock out a whole office
# behind one NAT; the limit is high here and short, and puente_csp.py locks
# the one account instead (10 failures: 15 minutes).
allow registration: false
attempt limit: 60
ban period: 900
celery processes: ${PUENTE_CELERY_PROCESSES:-1}
# Each worker process opens its own database connections (puente_celery.py).
celery modules:
  - puente_celery
mail:
  default sender: '"Puente" <no-reply@example.com>'
CONF
  )
  touch "$STATE/docassemble/docassemble.wsgi"
  echo "$DA_VERSION" > "$STATE/docassemble/VERSION"
  server_owns "$CONFIG" "$STATE/docassemble/docassemble.wsgi" "$STATE/docassemble/VERSION"
  # What the running web app and worker depend on: the Python code, the
  # configuration, and whether Puente converts through unoserver.
  { cat "$STATE/server-site.pyhash" "$CONFIG"; echo "unoserver-off=${PUENTE_UNOSERVER_OFF:-0}"; } \
    | sha256sum | cut -c1-16 > "$STATE/server.fingerprint"
}

create_tables() {
  local t=$(date +%s)
  (umask 077; cd "$STATE/home" && "${AS_SERVER[@]}" env "${DA_ENV[@]}" DA_ADMIN_EMAIL="$ADMIN_EMAIL" DA_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
     DA_ADMIN_API_KEY="$API_KEY" timeout 300 "$PY" -m docassemble.webapp.create_tables) >>"$LOGS/create_tables.log" 2>&1 \
    || { tail -30 "$LOGS/create_tables.log" >&2; die "docassemble.webapp.create_tables failed"; }
  log "database tables and admin account ready in $(elapsed "$t") s"
}

# ---- docassemble: worker and web app -----------------------------------------------
stop_one() { PUENTE_LOCKED=1 bash "$(dirname "$0")/stop.sh" --only "$1" >/dev/null; }

start_docassemble() {
  local code_changed=0
  if ! cmp -s "$RUN/web.fingerprint" "$STATE/server.fingerprint"; then
    code_changed=1
  fi
  if [ "$code_changed" = 1 ] && { pid_of web >/dev/null || pid_of celery >/dev/null; }; then
    log "the package's Python code or the configuration changed: restarting the web app and the worker"
    stop_one web; stop_one celery
  fi
  if pid=$(pid_of celery); then
    log "celery: running (pid $pid)"
  fi
  if pid=$(pid_of web); then
    log "web: running (pid $pid)"
  elif port_open "$WEB_PORT"; then
    die "port $WEB_PORT is taken by another program: stop it, or choose another port with PUENTE_PORT=..."
  else
    create_tables
  fi
  if ! pid_of celery >/dev/null; then
    : > "$LOGS/celery.log"
    spawn celery celery "$LOGS/celery.log" env "${DA_ENV[@]}" "$VENV/bin/celery" \
      --app=docassemble.webapp.worker worker --loglevel=INFO --concurrency="${PUENTE_CELERY_PROCESSES:-1}" \
      --hostname=puente@localhost --without-gossip --without-mingle
    log "celery: started (pid $(pid_of celery))"
  fi
  if ! pid_of web >/dev/null; then
    # gunicorn options as --opt=value: docassemble takes any command-line
    # argument naming an existing file for its configuration file.
    spawn web gunicorn "$LOGS/web.log" env "${DA_ENV[@]}" "$VENV/bin/gunicorn" \
      --bind="$HOST:$WEB_PORT" --workers=1 --threads="${PUENTE_WEB_THREADS:-8}" --worker-class=gthread \
      --timeout=600 --graceful-timeout=20 --chdir="$STATE/home" puente_csp:application
    cp "$STATE/server.fingerprint" "$RUN/web.fingerprint"
    log "web: started (pid $(pid_of web))"
  fi
  local t=$(date +%s)
  wait_for 240 health http_ok "$BASE_URL/health_check" || { tail -40 "$LOGS/web.log" >&2; die "the web app did not answer /health_check"; }
  log "web: /health_check answers ($(elapsed "$t") s)"
  wait_for 180 worker grep -q "ready\." "$LOGS/celery.log" || { tail -30 "$LOGS/celery.log" >&2; die "the Celery worker did not start"; }
}

# ---- main ---------------------------------------------------------------------
for step in start_postgres start_redis start_rabbitmq start_unoserver install_package write_config start_docassemble; do
  ts=$(date +%s)
  "$step"
  printf '%s %s\n' "$step" "$(elapsed "$ts")" >> "$RUN/timings"
done

if [ -f "$SITE/docassemble/puente/data/questions/main_intake.yml" ]; then
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 120 "$BASE_URL$INTAKE_PATH" || true)
  # 302: to the sign-in page, since every interview needs an account.
  [ "$code" = 200 ] || [ "$code" = 302 ] || log "WARNING: the intake interview answered HTTP $code (see $LOGS/web.log)"
else
  # The interviews are in the package: without them the install went wrong.
  log "WARNING: the installed package has no data/questions/main_intake.yml: reinstall it (see $LOGS)"
fi
log "ready in $(elapsed "$t0") s"
cat <<MSG

  Puente is being served at  $BASE_URL$INTAKE_PATH
  Log in at $BASE_URL/user/sign-in as $(cat "$SECRETS/admin-email");
  the password is in ${SECRETS#$ROOT/}/admin-password, the API key in ${SECRETS#$ROOT/}/api-key.
  Logs: ${LOGS#$ROOT/}/   Stop everything: make stop

MSG
