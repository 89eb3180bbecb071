#!/usr/bin/env bash
# Install what the local docassemble server needs. Idempotent: every step
# checks first and costs (almost) nothing when already done.
#
#   Debian packages  PostgreSQL, Redis, RabbitMQ, LibreOffice Writer + python3-uno, acl,
#                    pandoc, locales, WordNet (NLTK data), LDAP/SASL headers,
#                    chromium + chromium-driver, npm and docker-compose (tests only)
#   locale           en_US.UTF-8 (docassemble calls setlocale with it) and es_MX.UTF-8
#   .venv            docassemble.webapp==$DA_VERSION, gunicorn, unoserver (client),
#                    selenium; this package stays installed editable as `make venv` does
#   unoserver        for Debian's /usr/bin/python3 (the UNO bindings are not on PyPI)
#   NLTK data        built from /usr/share/wordnet by scripts/build-nltk-data.py
#   axe-core         from npm into .axe/ (git-ignored): the browser tests run it
#                    on every screen (accessibility)
#
# Nothing here downloads at run time: every later step works offline.
set -euo pipefail
source "$(dirname "$0")/common.sh"
t0=$(date +%s)

# ---- Debian packages -------------------------------------------------------
APT=(postgresql redis-server rabbitmq-server libreoffice-writer-nogui python3-uno
     pandoc locales wordnet-base wordnet-sense-index libldap2-dev libsasl2-dev libzbar0
     fonts-liberation fonts-dejavu-core poppler-utils curl
     acl chromium chromium-driver docker-compose)
missing=()
# npm (for axe-core): Debian's package, unless a Node.js that brings its own
# npm is installed already (Debian's npm conflicts with NodeSource's nodejs).
command -v npm >/dev/null 2>&1 || APT+=(npm)
for p in "${APT[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
  log "apt-get install ${missing[*]}"
  ta=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The image's policy-rc.d keeps the packages' own services from starting;
  # start.sh starts its own instances on 127.0.0.1 with their data in .state/.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  log "Debian packages installed in $(elapsed "$ta") s"
fi

# ---- locales ----------------------------------------------------------------
if ! locale -a 2>/dev/null | grep -qi '^en_US\.utf8$' || ! locale -a 2>/dev/null | grep -qi '^es_MX\.utf8$'; then
  [ "$(id -u)" -eq 0 ] || die "locale en_US.UTF-8 is missing (as root: locale-gen)"
  log "generating locales en_US.UTF-8 es_MX.UTF-8"
  sed -i -E 's/^# *(en_US\.UTF-8 UTF-8)/\1/; s/^# *(es_MX\.UTF-8 UTF-8)/\1/' /etc/locale.gen
  grep -q '^en_US.UTF-8 UTF-8' /etc/locale.gen || echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen
  grep -q '^es_MX.UTF-8 UTF-8' /etc/locale.gen || echo 'es_MX.UTF-8 UTF-8' >> /etc/locale.gen
  locale-gen >/dev/null
fi

# ---- the server's own unprivileged user ---------------------------------------
# The services of `make serve` never run as root: as root, this user runs
# them (no login shell, no home); its files are its own (umask 077).
if [ "$(id -u)" -eq 0 ] && ! id -u "$SERVER_USER" >/dev/null 2>&1; then
  log "creating the system user $SERVER_USER for the server's services"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SERVER_USER"
fi

# ---- the virtual environment --------------------------------------------------
# The same .venv as `make venv` (Python 3.12, this package editable, test
# extras). `make serve` runs `make venv` first; this covers a direct call.
if [ ! -x "$PY" ]; then
  log "creating $VENV"
  (cd "$ROOT" && make -s venv)
fi

pip_q() {  # pip, quiet, without the noise of absent local index folders
  "$VENV/bin/pip" install -q "$@" 2> >(grep -v "^WARNING: Location '" >&2)
}
have_version() {  # have_version DIST VERSION
  "$PY" - "$1" "$2" <<'PY' 2>/dev/null
import sys, importlib.metadata as m
sys.exit(0 if m.version(sys.argv[1]) == sys.argv[2] else 1)
PY
}

if ! have_version docassemble.webapp "$DA_VERSION"; then
  tp=$(date +%s)
  # The interviews' in-process tests install the same pin with their own
  # script; use it when it is there so both ways give one .venv.
  if [ -f "$ROOT/scripts/install-docassemble.sh" ]; then
    log "scripts/install-docassemble.sh (docassemble.webapp==$DA_VERSION into $VENV)"
    VENV=$VENV PUENTE_DOCASSEMBLE=webapp bash "$ROOT/scripts/install-docassemble.sh"
  fi
  if ! have_version docassemble.webapp "$DA_VERSION"; then
    log "pip install docassemble.webapp==$DA_VERSION into $VENV (a few minutes the first time)"
    pip_q "docassemble.webapp==$DA_VERSION"
  fi
  log "docassemble installed in $(elapsed "$tp") s"
fi
need=()
for spec in "${SERVER_PIP[@]}"; do
  have_version "${spec%%==*}" "${spec##*==}" || need+=("$spec")
done
if [ ${#need[@]} -gt 0 ]; then
  log "pip install ${need[*]}"
  pip_q "${need[@]}"
fi

# unoserver runs under Debian's python3, which has the UNO bindings
# (python3-uno); it is pure Python and needs nothing else.
if ! PYTHONPATH=$UNO_PY3_SITE /usr/bin/python3 -c "import unoserver.server, uno" 2>/dev/null \
   || [ "$(cat "$UNO_PY3_SITE/.version" 2>/dev/null)" != "$UNOSERVER_VERSION" ]; then
  log "installing unoserver $UNOSERVER_VERSION for /usr/bin/python3"
  rm -rf "$UNO_PY3_SITE"
  pip_q --no-deps --target "$UNO_PY3_SITE" "unoserver==$UNOSERVER_VERSION"
  echo "$UNOSERVER_VERSION" > "$UNO_PY3_SITE/.version"
fi

# ---- what the server's user must reach ------------------------------------------
# The services run as $SERVER_USER: it must be able to run the venv's Python
# (pyenv's interpreter may sit under /root, mode 0700) and read the
# repository. Folders it cannot pass get an ACL entry that lets this one
# user through (search only: it still cannot list them), nothing wider.
grant_traverse() {  # grant_traverse PATH: every folder above PATH
  local d
  d=$(dirname "$(readlink -f "$1")")
  while [ "$d" != / ]; do
    if ! setpriv --reuid="$SERVER_USER" --regid="$SERVER_USER" --init-groups -- test -x "$d" 2>/dev/null; then
      log "letting $SERVER_USER pass through $d (ACL u:$SERVER_USER:x)"
      setfacl -m "u:$SERVER_USER:x" "$d"
    fi
    d=$(dirname "$d")
  done
}
if [ "$(id -u)" -eq 0 ]; then
  grant_traverse "$PY"
  grant_traverse "$ROOT/scripts/server/start.sh"
  grant_traverse "$VENV/pyvenv.cfg"
fi

# ---- NLTK data (docassemble would download WordNet at import) ------------------
if [ ! -f "$NLTK_DIR/corpora/wordnet/lexnames" ]; then
  [ -f "$ROOT/scripts/build-nltk-data.py" ] || die "scripts/build-nltk-data.py is missing"
  log "building NLTK data in $NLTK_DIR from /usr/share/wordnet"
  "$PY" "$ROOT/scripts/build-nltk-data.py" "$NLTK_DIR" >/dev/null
fi

# ---- axe-core: the accessibility engine the browser tests inject -----------------
AXE_VERSION=4.14.1
AXE_DIR=$ROOT/.axe
if [ "$(node -p "require('$AXE_DIR/node_modules/axe-core/package.json').version" 2>/dev/null)" != "$AXE_VERSION" ]; then
  log "npm install axe-core@$AXE_VERSION into $AXE_DIR"
  npm install --prefix "$AXE_DIR" --no-audit --no-fund --silent "axe-core@$AXE_VERSION" >/dev/null
fi

log "install step done in $(elapsed "$t0") s"
